// SPDX-License-Identifier: GPL-2.0
/* `xlb status`: reads the pinned maps only, never the agent's memory, so
 * that it answers the same whether the agent runs or left its pins. */
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
#include "xlb_limits.h"
#include "xlb_service.h"
#include "xlb_backend.h"
#include "xlb_flow.h"
#include "xlb_stats.h"
#include "xlb_names.h"
#include "xlb_srv_state.h"

#include "paths.h"
#define PIN_ROOT	xlb_pin_root()
#define FLOW_WALK_MAX	(10ull * 1000 * 1000)
#define FLOW_BATCH	4096

enum { M_SERVICES, M_SVC_BACKENDS, M_BACKENDS, M_BACKEND_CONNS, M_FLOWS,
       M_SVC_STATS, M_BACKEND_STATS, M_REASONS, M_SVC_NAMES, M_BACKEND_NAMES,
       M_SERVER_STATE, M_NR };
/* Maps from M_OPTIONAL on may be missing (pinned by an older xlb): the
 * status then shows what the others tell. */
#define M_OPTIONAL M_SERVER_STATE

#define MAP(n, k, v) { #n, sizeof(k), sizeof(v) }
static const struct {
	const char *name;
	__u32 key_size, value_size;
} map_defs[M_NR] = {
	[M_SERVICES] = MAP(services, struct xlb_svc_key, struct xlb_svc),
	[M_SVC_BACKENDS] = MAP(svc_backends, __u32, __u32),
	[M_BACKENDS] = MAP(backends, __u32, struct xlb_backend),
	[M_BACKEND_CONNS] = MAP(backend_conns, __u32, struct xlb_backend_conns),
	[M_FLOWS] = MAP(flows, struct xlb_flow_key, struct xlb_flow),
	[M_SVC_STATS] = MAP(svc_stats, __u32, struct xlb_traffic),
	[M_BACKEND_STATS] = MAP(backend_stats, __u32, struct xlb_traffic),
	[M_REASONS] = MAP(reasons, __u32, __u64),
	[M_SVC_NAMES] = MAP(svc_names, __u32, struct xlb_svc_name),
	[M_BACKEND_NAMES] = MAP(backend_names, __u32, struct xlb_backend_name),
	[M_SERVER_STATE] = MAP(server_state, __u32, struct xlb_srv_state),
};

_Static_assert(sizeof(struct xlb_traffic) % 8 == 0 &&
	       sizeof(struct xlb_traffic) <= 8 * 8, "per-CPU sum");

struct vip {
	struct xlb_svc_key key;
	__u32 id;
};

struct server {
	struct xlb_backend_name nm;
	struct xlb_backend be;
	struct xlb_backend_conns conns;
	struct xlb_traffic t;
	struct xlb_srv_state ss;
	bool has_ss;		/* the agent's state (server_state) */
};

struct status {
	int fd[M_NR];
	__u32 max[M_NR];			/* max_entries */
	int ncpu;
	void *pcpu;				/* one per-CPU lookup */
	struct vip *vips;
	__u32 nvips;
	__u64 entries, conns, by_state[XLB_STATE_MAX];
	bool capped;
	__u64 reasons[XLB_R_MAX];
	/* The service being printed. */
	__u32 id;
	struct xlb_svc_name nm;
	struct xlb_traffic t;
	__u32 nsrv;
	struct server srv[XLB_MAX_SVC_BACKENDS];
};

static int open_maps(struct status *st)
{
	struct bpf_map_info info;
	char path[128];
	__u32 len;
	int i, err;

	for (i = 0; i < M_NR; i++) {
		snprintf(path, sizeof(path), "%s/%s", PIN_ROOT, map_defs[i].name);
		st->fd[i] = bpf_obj_get(path);
		if (st->fd[i] < 0 && i >= M_OPTIONAL && errno == ENOENT)
			continue;
		if (st->fd[i] < 0) {
			err = -errno;
			fprintf(stderr, "xlb: no running xlb: %s: %s\n", path,
				strerror(-err));
			return err;
		}
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(st->fd[i], &info, &len)) {
			err = -errno;
			fprintf(stderr, "xlb: %s: %s\n", path, strerror(-err));
			return err;
		}
		if (i >= M_OPTIONAL &&
		    (info.key_size != map_defs[i].key_size ||
		     info.value_size != map_defs[i].value_size)) {
			close(st->fd[i]);	/* another version's: unused */
			st->fd[i] = -1;
			continue;
		}
		if (info.key_size != map_defs[i].key_size ||
		    info.value_size != map_defs[i].value_size) {
			fprintf(stderr, "xlb: %s: key/value of %u/%u bytes, "
				"expected %u/%u: pinned by another xlb "
				"version?\n", path, info.key_size,
				info.value_size, map_defs[i].key_size,
				map_defs[i].value_size);
			return -EPROTO;
		}
		st->max[i] = info.max_entries;
	}
	return 0;
}

/* Sum a per-CPU value made of __u64 words; zero when the lookup fails. */
static void pcpu_sum(const struct status *st, int m, __u32 id, void *out)
{
	size_t size = map_defs[m].value_size, stride = (size + 7) & ~7ul;
	__u64 sum[8] = {}, v;
	size_t c, w;

	if (id < st->max[m] && !bpf_map_lookup_elem(st->fd[m], &id, st->pcpu))
		for (c = 0; c < (size_t)st->ncpu; c++)
			for (w = 0; w < size / 8; w++) {
				memcpy(&v, (char *)st->pcpu + c * stride + w * 8,
				       sizeof(v));
				sum[w] += v;
			}
	memcpy(out, sum, size);
}

/* Zeroes when missing; false then. */
static bool lookup(const struct status *st, int m, __u32 id, void *out)
{
	if (st->fd[m] < 0 || id >= st->max[m] ||
	    bpf_map_lookup_elem(st->fd[m], &id, out)) {
		memset(out, 0, map_defs[m].value_size);
		return false;
	}
	return true;
}

static int vip_cmp(const void *a, const void *b)
{
	const struct xlb_svc_key *x = &((const struct vip *)a)->key;
	const struct xlb_svc_key *y = &((const struct vip *)b)->key;
	int d = x->family - y->family;

	if (!d)
		d = memcmp(&x->vip, &y->vip, sizeof(x->vip));
	if (!d)
		d = ntohs(x->port) - ntohs(y->port);
	return d ? d : x->proto - y->proto;
}

static int read_vips(struct status *st)
{
	struct xlb_svc_key k, prev;
	struct xlb_svc svc;
	int fd = st->fd[M_SERVICES];
	__u32 n;

	st->vips = calloc(st->max[M_SERVICES], sizeof(*st->vips));
	if (!st->vips)
		return -ENOMEM;
	/* A key deleted under the walk restarts it: bounded by max. */
	for (n = 0; n < st->max[M_SERVICES] &&
	     !bpf_map_get_next_key(fd, n ? &prev : NULL, &k); n++) {
		if (!bpf_map_lookup_elem(fd, &k, &svc)) {
			st->vips[st->nvips].key = k;
			st->vips[st->nvips++].id = svc.id;
		}
		prev = k;
	}
	qsort(st->vips, st->nvips, sizeof(*st->vips), vip_cmp);
	return 0;
}

static void count_flow(struct status *st, const struct xlb_flow *f)
{
	st->entries++;
	if (f->dir != XLB_DIR_FORWARD)
		return;
	st->conns++;
	if (f->state < XLB_STATE_MAX)
		st->by_state[f->state]++;
}

/* Count the flow table by batches (kernel 5.6+): they walk bucket by
 * bucket, where get_next_key restarts from the first key whenever the
 * previous one was deleted meanwhile and counts flows twice. */
static int read_flows(struct status *st)
{
	struct xlb_flow_key *keys, in, out;
	struct xlb_flow *vals;
	bool first = true;
	__u32 n, i;
	int err;

	keys = calloc(FLOW_BATCH, sizeof(*keys));
	vals = calloc(FLOW_BATCH, sizeof(*vals));
	if (!keys || !vals) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		n = FLOW_BATCH;
		err = bpf_map_lookup_batch(st->fd[M_FLOWS], first ? NULL : &in,
					   &out, keys, vals, &n, NULL) ? -errno : 0;
		if (err && err != -ENOENT) {
			fprintf(stderr, "xlb: %s/flows: %s\n", PIN_ROOT,
				strerror(-err));
			break;
		}
		for (i = 0; i < n && !st->capped; i++) {
			count_flow(st, &vals[i]);
			st->capped = st->entries >= FLOW_WALK_MAX;
		}
		if (err || st->capped) {
			err = 0;
			break;
		}
		in = out;
		first = false;
	}
out:
	free(keys);
	free(vals);
	return err;
}

static void read_service(struct status *st, __u32 id)
{
	__u32 k, bid;

	st->id = id;
	pcpu_sum(st, M_SVC_STATS, id, &st->t);
	st->nsrv = 0;
	for (k = 0; k < st->nm.nbackends && k < XLB_MAX_SVC_BACKENDS; k++) {
		struct server *s = &st->srv[st->nsrv];

		if (bpf_map_lookup_elem(st->fd[M_SVC_BACKENDS],
					&(__u32){ id * XLB_MAX_SVC_BACKENDS + k },
					&bid) || bid >= st->max[M_BACKENDS])
			continue;
		lookup(st, M_BACKENDS, bid, &s->be);
		lookup(st, M_BACKEND_NAMES, bid, &s->nm);
		lookup(st, M_BACKEND_CONNS, bid, &s->conns);
		pcpu_sum(st, M_BACKEND_STATS, bid, &s->t);
		s->has_ss = lookup(st, M_SERVER_STATE, bid, &s->ss) &&
			    s->ss.in_use;
		st->nsrv++;
	}
}

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
	err = open_maps(st);
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
	if (!st->pcpu || !rows || read_vips(st))
		goto out;
	err = read_flows(st);
	if (err)
		goto out;
	for (i = 0; i < XLB_R_MAX; i++)
		pcpu_sum(st, M_REASONS, i, &st->reasons[i]);

	if (json)
		fputs("{\"services\":[\n", out);
	for (id = 0; id < st->max[M_SVC_NAMES]; id++) {
		lookup(st, M_SVC_NAMES, id, &st->nm);
		if (!st->nm.in_use)
			continue;
		read_service(st, id);
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
