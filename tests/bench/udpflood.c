// SPDX-License-Identifier: GPL-2.0
/* Benchmark only (part 3): small UDP packets as fast as one core sends
 * them (sendmmsg), and a receiver that counts them (recvmmsg).
 *
 *   udpflood send DST_IP PORT SECONDS [FLOWS [PAYLOAD]]
 *       FLOWS sockets (source ports) in turn, batches of 64 datagrams;
 *       prints {"sent": N, "seconds": S, "pps": P, "send_errors": E}
 *   udpflood recv PORT SECONDS
 *       counts datagrams until SECONDS have passed with at least one
 *       received, then 1 s of silence; prints {"received": N}
 * Both stop by themselves: never longer than SECONDS + 5 s. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define BATCH 64
#define MAX_FLOWS 1024

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int do_send(const char *ip, int port, double secs, int flows, int plen)
{
	static char payload[1500];
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct mmsghdr m[BATCH];
	struct iovec iov = { payload, 0 };
	int fd[MAX_FLOWS], i, n, f = 0;
	unsigned long long sent = 0, errs = 0;
	double t0, t;

	if (inet_pton(AF_INET, ip, &dst.sin_addr) != 1 || flows < 1 ||
	    flows > MAX_FLOWS || plen < 0 || plen > 1472)
		return fprintf(stderr, "udpflood: bad arguments\n"), 2;
	iov.iov_len = plen;
	memset(m, 0, sizeof(m));
	for (i = 0; i < BATCH; i++) {
		m[i].msg_hdr.msg_name = &dst;
		m[i].msg_hdr.msg_namelen = sizeof(dst);
		m[i].msg_hdr.msg_iov = &iov;
		m[i].msg_hdr.msg_iovlen = 1;
	}
	for (i = 0; i < flows; i++) {
		fd[i] = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd[i] < 0)
			return perror("udpflood: socket"), 1;
	}
	t0 = now();
	do {
		n = sendmmsg(fd[f], m, BATCH, 0);
		if (n > 0)
			sent += n;
		else if (errno != ENOBUFS && errno != EAGAIN && errno != ECONNREFUSED)
			return perror("udpflood: sendmmsg"), 1;
		else
			errs++;
		f = (f + 1) % flows;
		t = now();
	} while (t - t0 < secs);
	printf("{\"sent\": %llu, \"seconds\": %.4f, \"pps\": %.0f, "
	       "\"send_errors\": %llu, \"flows\": %d, \"payload\": %d}\n",
	       sent, t - t0, sent / (t - t0), errs, flows, plen);
	return 0;
}

static int do_recv(int port, double secs)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	static char buf[BATCH][2048];
	struct iovec iov[BATCH];
	struct mmsghdr m[BATCH];
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	unsigned long long got = 0;
	double first = 0, last = 0, start = now(), t;
	int fd, i, n, sz = 32 << 20;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return perror("udpflood: socket"), 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return perror("udpflood: bind"), 1;
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		memset(&m[i], 0, sizeof(m[i]));
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	printf("{\"ready\": true}\n");
	fflush(stdout);
	for (;;) {
		n = recvmmsg(fd, m, BATCH, MSG_WAITFORONE, NULL);
		t = now();
		if (n > 0) {
			if (!got)
				first = t;
			got += n;
			last = t;
		}
		if (got && t - first >= secs && t - last >= 1.0)
			break;
		if (t - start > secs + 30 || (!got && t - start > secs + 5))
			break;
	}
	printf("{\"received\": %llu, \"seconds\": %.4f}\n", got,
	       got ? last - first : 0.0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "send"))
		return do_send(argv[2], atoi(argv[3]), atof(argv[4]),
			       argc > 5 ? atoi(argv[5]) : 16,
			       argc > 6 ? atoi(argv[6]) : 18);
	if (argc == 4 && !strcmp(argv[1], "recv"))
		return do_recv(atoi(argv[2]), atof(argv[3]));
	fprintf(stderr, "usage: udpflood send DST_IP PORT SECONDS [FLOWS [PAYLOAD]]\n"
			"       udpflood recv PORT SECONDS\n");
	return 2;
}
