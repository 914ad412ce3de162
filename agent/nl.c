// SPDX-License-Identifier: GPL-2.0
/* rtnetlink plumbing for route.c and neigh.c: see nl.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nl.h"

/* Large enough for one message of any dump (the kernel fills at most
 * 32 KiB per skb, more on 64 KiB-page machines). */
#define NL_RCVBUF 65536

void *nl_init(struct nl_req *req, __u16 type, __u16 flags, size_t hdrlen)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(hdrlen);
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = NLM_F_REQUEST | flags;
	return NLMSG_DATA(&req->nh);
}

void nl_attr(struct nl_req *req, __u16 type, const void *data, __u16 len)
{
	struct rtattr *rta;

	rta = (struct rtattr *)((char *)&req->nh +
				NLMSG_ALIGN(req->nh.nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	req->nh.nlmsg_len = NLMSG_ALIGN(req->nh.nlmsg_len) +
			    RTA_ALIGN(rta->rta_len);
}

int nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	return fd < 0 ? -errno : fd;
}

/* Keeps reading after a cb error so the socket can be reused. */
int nl_talk(int fd, struct nl_req *req, nl_cb cb, void *arg)
{
	static __u32 seq_counter;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct iovec iov;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct nlmsghdr *nh;
	int err = 0, cb_err = 0, len;
	bool dump;
	char *buf;
	__u32 seq;
	ssize_t n;

	dump = (req->nh.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	if (!dump)
		req->nh.nlmsg_flags |= NLM_F_ACK;
	seq = __atomic_add_fetch(&seq_counter, 1, __ATOMIC_RELAXED);
	req->nh.nlmsg_seq = seq;

	do {
		n = sendto(fd, &req->nh, req->nh.nlmsg_len, 0,
			   (struct sockaddr *)&sa, sizeof(sa));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;

	buf = malloc(NL_RCVBUF);
	if (!buf)
		return -ENOMEM;
	iov.iov_base = buf;
	iov.iov_len = NL_RCVBUF;

	for (;;) {
		n = recvmsg(fd, &msg, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto out;
		}
		if (n == 0 || (msg.msg_flags & MSG_TRUNC)) {
			err = n ? -EMSGSIZE : -EPIPE;
			goto out;
		}
		len = n;
		/* len may go a few bytes negative after the last message */
		for (nh = (struct nlmsghdr *)buf;
		     len > 0 && NLMSG_OK(nh, (unsigned int)len);
		     nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nh);

				if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					err = -EBADMSG;
				else
					err = e->error;	/* 0: the ack */
				goto out;
			}
			if (nh->nlmsg_type == NLMSG_DONE) {
				/* a dump that failed half-way says so here */
				if (nh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					err = *(int *)NLMSG_DATA(nh);
				goto out;
			}
			if (cb && !cb_err)
				cb_err = cb(nh, arg);
		}
	}
out:
	free(buf);
	return err ? err : cb_err;
}

bool rta_get(struct rtattr *rta, void *out, size_t len)
{
	if (RTA_PAYLOAD(rta) < len)
		return false;
	memcpy(out, RTA_DATA(rta), len);
	return true;
}
