// SPDX-License-Identifier: GPL-2.0
/* `xlb status`: prints what status_read.c read from the pinned maps
 * (never the agent's memory), so that it answers the same whether the
 * agent runs or left its pins. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "config_addr.h"
#include "reasons.h"
#include "status.h"
#include "status_int.h"

static const char *addr_str(const struct xlb_addr *a, __u8 family, char *buf)
{
	struct xlb_cfg_addr ca;

	xlb_addr_from_map(a, family, &ca);
	return xlb_addr_str(&ca, buf, INET6_ADDRSTRLEN);
}

/* "10.0.0.2:80" or "[2001:db8::2]:80" */
static char *hostport(char *buf, size_t len, const struct xlb_addr *a,
		      __u8 family, __be16 port)
{
	struct xlb_cfg_addr ca;

	xlb_addr_from_map(a, family, &ca);
	xlb_hostport_str(&ca, ntohs(port), buf, len);
	return buf;
}

static char *vip_str(char *buf, size_t len, const struct xlb_svc_key *k)
{
	char hp[64];
	const char *proto = k->proto == IPPROTO_TCP ? "tcp" :
			    k->proto == IPPROTO_UDP ? "udp" : NULL;

	hostport(hp, sizeof(hp), &k->vip, k->family, k->port);
	if (proto)
		snprintf(buf, len, "%s %s", proto, hp);
	else
		snprintf(buf, len, "proto%u %s", k->proto, hp);
	return buf;
}

static const char *algo_str(unsigned int algo)
{
	return algo == XLB_ALGO_ROUNDROBIN ? "roundrobin" :
	       algo == XLB_ALGO_LEASTCONN ? "leastconn" :
	       algo == XLB_ALGO_RANDOM ? "random" : "unknown";
}

/* Labels are NUL-padded but not trusted to be terminated. */
#define LABEL(s) (int)strnlen(s, XLB_LABEL_MAX), (s)
#define FIELD(s) (int)strnlen(s, sizeof(s)), (s)

/* UP, DOWN, DRAIN or MAINT: from the agent's state when there is one,
 * else from what the data path is told (flags, weight). */
static const char *srv_state(const struct server *s)
{
	if (s->has_ss)
		return xlb_state_word(s->ss.admin, s->ss.check, s->ss.up,
				      s->ss.weight);
	if (!(s->be.flags & XLB_BACKEND_UP))
		return "DOWN";
	return s->be.weight ? "UP" : "DRAIN";
}

/* HAProxy's status: "UP", "DOWN 1/2", "no check"... */
static const char *srv_status(const struct server *s, char *buf, size_t len)
{
	if (!s->has_ss)
		return srv_state(s);
	snprintf(buf, len, "%.*s", FIELD(s->ss.status));
	return buf;
}

/* Runtime weight (0..256). Without server_state, the data path's
 * effective weight: a backends map of this layout holds it scaled. */
static unsigned int srv_weight(const struct server *s)
{
	if (s->has_ss)
		return s->ss.weight;
	return (s->be.weight + XLB_WEIGHT_SCALE - 1) / XLB_WEIGHT_SCALE;
}

/* The last check: "L7STS 503 2ms", "L4OK 0ms", "-" without checks. */
static const char *srv_check(const struct server *s, char *buf, size_t len)
{
	const struct xlb_srv_state *ss = &s->ss;
	char word[sizeof(ss->check_status) + 1], code[16] = "";

	if (!s->has_ss || !ss->check)
		return "-";
	if (ss->check_disabled)
		return "disabled";
	snprintf(word, sizeof(word), "%.*s", FIELD(ss->check_status));
	if (!word[0] || !strcmp(word, "INI"))
		return "INI";	/* none finished yet */
	if (!strncmp(word, "L7", 2) && ss->check_code > 0)
		snprintf(code, sizeof(code), " %d", ss->check_code);
	snprintf(buf, len, "%s%s %ums", word, code, ss->check_duration_ms);
	return buf;
}

static void json_str(FILE *out, const char *s, size_t max)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_service(struct status *st, FILE *out, bool first)
{
	const struct xlb_traffic *t = &st->t;
	char buf[80];
	bool one = true;
	__u32 i;

	fprintf(out, "%s{\"id\":%u,\"frontend\":", first ? "" : ",", st->id);
	json_str(out, st->nm.frontend, XLB_LABEL_MAX);
	fputs(",\"backend\":", out);
	json_str(out, st->nm.backend, XLB_LABEL_MAX);
	fprintf(out, ",\"algo\":\"%s\",\"vips\":[", algo_str(st->nm.algo));
	for (i = 0; i < st->nvips; i++) {
		if (st->vips[i].id != st->id)
			continue;
		fputs(one ? "" : ",", out);
		json_str(out, vip_str(buf, sizeof(buf), &st->vips[i].key),
			 sizeof(buf));
		one = false;
	}
	fprintf(out, "],\"packets\":%llu,\"bytes\":%llu,\"reply_packets\":%llu,"
		"\"reply_bytes\":%llu,\"new_flows\":%llu,\"servers\":[",
		t->packets, t->bytes, t->reply_packets, t->reply_bytes,
		t->new_flows);
	for (i = 0; i < st->nsrv; i++) {
		const struct server *s = &st->srv[i];

		fputs(i ? ",{\"name\":" : "{\"name\":", out);
		json_str(out, s->nm.server, XLB_LABEL_MAX);
		fprintf(out, ",\"address\":\"%s\",\"port\":%u,\"weight\":%u,"
			"\"state\":\"%s\",\"status\":",
			addr_str(&s->be.addr, s->be.family, buf),
			ntohs(s->be.port), srv_weight(s), srv_state(s));
		json_str(out, srv_status(s, buf, sizeof(buf)), sizeof(buf));
		fputs(",\"check_status\":", out);
		json_str(out, s->ss.check_status, sizeof(s->ss.check_status));
		fprintf(out, ",\"check_code\":%d,\"check_duration_ms\":%u,"
			"\"chkfail\":%llu,\"chkdown\":%llu,"
			"\"active\":%lld,\"half_open\":%lld,\"flows\":%llu,"
			"\"packets_in\":%llu,\"bytes_in\":%llu,"
			"\"packets_out\":%llu,\"bytes_out\":%llu}",
			s->ss.check_code, s->ss.check_duration_ms,
			s->ss.chkfail, s->ss.chkdown,
			s->conns.active, s->conns.half_open, s->t.new_flows,
			s->t.packets, s->t.bytes,
			s->t.reply_packets, s->t.reply_bytes);
	}
	fputs("]}\n", out);
}

static void json_tail(const struct status *st, FILE *out)
{
	char buf[32];
	bool one = true;
	int i;

	fprintf(out, "],\"flows\":{\"entries\":%llu,\"connections\":%llu,"
		"\"truncated\":%s,\"by_state\":{", st->entries, st->conns,
		st->capped ? "true" : "false");
	for (i = 0; i < XLB_STATE_MAX; i++)
		fprintf(out, "%s\"%s\":%llu", i ? "," : "",
			xlb_flow_state_name(i), st->by_state[i]);
	fputs("}},\n\"reasons\":{", out);
	for (i = 0; i < XLB_R_MAX; i++) {
		if (!st->reasons[i])
			continue;
		fprintf(out, "%s\"%s\":%llu", one ? "" : ",",
			xlb_reason_name(i, buf), st->reasons[i]);
		one = false;
	}
	fputs("}}\n", out);
}

/* Text: one table per service, columns sized to their widest cell. */
enum { C_NAME, C_ADDR, C_WEIGHT, C_STATE, C_CHECK, C_ACTIVE, C_HALF,
       C_FLOWS, NCOL = 12 };
#define CELL 72

static void text_row(char (*row)[CELL], const char *name, const char *addr,
		     const char *weight, const char *state, const char *check,
		     const struct xlb_backend_conns *cn,
		     const struct xlb_traffic *t)
{
	const char *s[] = { name, addr, weight, state, check };
	unsigned long long n[] = { t->new_flows, t->packets, t->bytes,
				   t->reply_packets, t->reply_bytes };
	int c;

	for (c = 0; c < C_ACTIVE; c++)
		snprintf(row[c], CELL, "%s", s[c]);
	snprintf(row[C_ACTIVE], CELL, "%lld", (long long)cn->active);
	snprintf(row[C_HALF], CELL, "%lld", (long long)cn->half_open);
	for (c = C_FLOWS; c < NCOL; c++)
		snprintf(row[c], CELL, "%llu", n[c - C_FLOWS]);
}

static void text_service(struct status *st, FILE *out, char (*rows)[NCOL][CELL])
{
	static const char *const head[NCOL] = { "SERVER", "ADDRESS", "WEIGHT",
		"STATE", "CHECK", "ACTIVE", "HALF_OPEN", "FLOWS", "PKTS_IN", "BYTES_IN",
		"PKTS_OUT", "BYTES_OUT" };
	int w[NCOL] = {}, n = st->nsrv + 2, r, c;
	char name[XLB_LABEL_MAX + 1], addr[64], weight[16], state[32];
	char check[48];
	struct xlb_backend_conns total = {};
	__u32 i;

	fprintf(out, "FRONTEND %.*s -> BACKEND %.*s (%s)\n",
		LABEL(st->nm.frontend), LABEL(st->nm.backend),
		algo_str(st->nm.algo));
	for (i = 0; i < st->nvips; i++)
		if (st->vips[i].id == st->id)
			fprintf(out, "  %s\n",
				vip_str(addr, sizeof(addr), &st->vips[i].key));
	for (c = 0; c < NCOL; c++)
		snprintf(rows[0][c], CELL, "%s", head[c]);
	for (i = 0; i < st->nsrv; i++) {
		const struct server *s = &st->srv[i];

		snprintf(name, sizeof(name), "%.*s", LABEL(s->nm.server));
		hostport(addr, sizeof(addr), &s->be.addr, s->be.family,
			 s->be.port);
		snprintf(weight, sizeof(weight), "%u", srv_weight(s));
		text_row(rows[i + 1], name, addr, weight,
			 srv_status(s, state, sizeof(state)),
			 srv_check(s, check, sizeof(check)), &s->conns, &s->t);
		total.active += s->conns.active;
		total.half_open += s->conns.half_open;
	}
	text_row(rows[n - 1], "(total)", "-", "-", "-", "-", &total, &st->t);
	for (r = 0; r < n; r++)
		for (c = 0; c < NCOL; c++)
			if ((int)strlen(rows[r][c]) > w[c])
				w[c] = strlen(rows[r][c]);
	for (r = 0; r < n; r++)
		for (c = 0; c < NCOL; c++) {
			bool left = c == C_NAME || c == C_ADDR ||
				    c == C_STATE || c == C_CHECK;

			fprintf(out, c == NCOL - 1 ? "  %*s\n" : "  %*s",
				left ? -w[c] : w[c], rows[r][c]);
		}
	fputs("\n", out);
}

static void text_tail(const struct status *st, FILE *out)
{
	char buf[32];
	int i;

	fprintf(out, "FLOWS %llu entries, %llu connections%s\n", st->entries,
		st->conns, st->capped ? " (walk stopped there)" : "");
	for (i = 0; i < XLB_STATE_MAX; i++)
		if (st->by_state[i])
			fprintf(out, "  %-18s %14llu\n", xlb_flow_state_name(i),
				st->by_state[i]);
	fputs("\nREASONS\n", out);
	for (i = 0; i < XLB_R_MAX; i++)
		if (st->reasons[i])
			fprintf(out, "  %-18s %14llu\n",
				xlb_reason_name(i, buf),
				st->reasons[i]);
}

int xlb_status(bool json, FILE *out)
{
	char (*rows)[NCOL][CELL] = NULL;
	struct status *st;
	__u32 id, nsvc = 0;
	int i, err;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	for (i = 0; i < M_NR; i++)
		st->fd[i] = -1;
	err = xlb_status_open_maps(st);
	if (err)
		goto out;
	st->ncpu = libbpf_num_possible_cpus();
	if (st->ncpu <= 0) {
		err = st->ncpu ? st->ncpu : -EINVAL;
		fprintf(stderr, "xlb: cannot count CPUs: %s\n", strerror(-err));
		goto out;
	}
	err = -ENOMEM;
	st->pcpu = calloc(st->ncpu, sizeof(struct xlb_traffic));
	rows = calloc(XLB_MAX_SVC_BACKENDS + 2, sizeof(*rows));
	if (!st->pcpu || !rows || xlb_status_read_vips(st))
		goto out;
	err = xlb_status_read_flows(st);
	if (err)
		goto out;
	for (i = 0; i < XLB_R_MAX; i++)
		xlb_status_pcpu_sum(st, M_REASONS, i, &st->reasons[i]);

	if (json)
		fputs("{\"services\":[\n", out);
	for (id = 0; id < st->max[M_SVC_NAMES]; id++) {
		xlb_status_lookup(st, M_SVC_NAMES, id, &st->nm);
		if (!st->nm.in_use)
			continue;
		xlb_status_read_service(st, id);
		if (json)
			json_service(st, out, !nsvc);
		else
			text_service(st, out, rows);
		nsvc++;
	}
	if (json) {
		json_tail(st, out);
	} else {
		if (!nsvc)
			fputs("no service configured\n\n", out);
		text_tail(st, out);
	}
	err = fflush(out) || ferror(out) ? -EIO : 0;
	if (err)
		fprintf(stderr, "xlb: cannot write the status\n");
out:
	if (err == -ENOMEM)
		fprintf(stderr, "xlb: status: out of memory\n");
	for (i = 0; i < M_NR; i++)
		if (st->fd[i] >= 0)
			close(st->fd[i]);
	free(rows);
	free(st->pcpu);
	free(st->vips);
	free(st);
	return err;
}
