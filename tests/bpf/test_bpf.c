// SPDX-License-Identifier: GPL-2.0
/* BPF fixture tests: every row of the case tables (cases*.c) goes through the real xlb_xdp
 * program (or the xlb_gc expiry program) with BPF_PROG_TEST_RUN, then its
 * verdict, reasons, output packet and maps are checked.
 *
 * Usage: test_bpf IFINDEX   (or XLBT_IFINDEX=N test_bpf), run inside the
 * network namespace tests/bpf/run.sh builds; IFINDEX is lbside's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/in.h>
#include "cases.h"

static int snapshot(struct tctx *t, struct fx_dump *d, __u64 *reasons)
{
	int err = fx_dump_flows(&t->fx, d);

	if (!err)
		err = fx_reasons(&t->fx, reasons);
	if (err)
		tfail(t, "cannot read the maps: %s", strerror(-err));
	return err;
}

static void run_once(struct tctx *t, const struct row *r)
{
	struct xlb_svc s;
	int i, err = 0;

	t->svc_id = -1;
	if (!row_service(t, r, &s))
		t->svc_id = s.id;
	if (r->cursor && t->svc_id >= 0)
		fx_set_cursor(&t->fx, t->svc_id, r->cursor - 1);
	t->cur_before = t->svc_id >= 0 ? fx_cursor(&t->fx, t->svc_id) : 0;
	for (i = 0; i < FX_NBACKENDS; i++) {
		t->c_before[i] = fx_conns(&t->fx, i);
		t->h_before[i] = fx_half_open(&t->fx, i);
	}
	if (snapshot(t, &t->before, t->r_before) || build_input(t, r))
		return;

	memset(&t->out, 0, sizeof(t->out));
	memset(&t->gc, 0, sizeof(t->gc));
	t->action = XDP_PASS;
	if (r->in.kind == PK_GC && r->in.kill)
		err = fx_gc_kill(&t->fx, r->in.kill_be, &t->gc);
	else if (r->in.kind == PK_GC)
		err = fx_gc(&t->fx, (__u64)r->in.advance_s * 1000000000ull,
			    &t->gc);
	else if (r->in.kind != PK_NONE)
		err = fx_run(&t->fx, &t->in, &t->out, &t->action);
	if (err && !(r->action == ACT_EINVAL && err == -EINVAL)) {
		tfail(t, "test run failed: %s", strerror(-err));
		return;
	}
	if (!err && r->action == ACT_EINVAL)
		tfail(t, "the kernel ran it (action %u), want EINVAL",
		      t->action);
	else if (!err && r->in.kind != PK_NONE && (int)t->action != r->action)
		tfail(t, "action %u, want %d", t->action, r->action);
	if (snapshot(t, &t->after, t->r_after))
		return;
	check_row(t, r);
}

static int run_row(struct tctx *t, const struct row *r)
{
	int n = r->repeat ? r->repeat : 1;

	t->row = r;
	t->failed = 0;
	t->iter = 0;
	if (r->setup && r->setup(t)) {
		tfail(t, "setup failed: %s", strerror(errno));
		return -1;
	}
	for (t->iter = 0; t->iter < n && !t->failed; t->iter++)
		run_once(t, r);
	if (!t->failed && getenv("XLBT_VERBOSE"))
		printf("ok   %s\n", r->desc);
	return t->failed ? -1 : 0;
}

/* The base table first: its first row needs the namespace as run.sh
 * leaves it (forwarding off). */
static const struct row_table *const tables[] = {
	&xlbt_base, &xlbt_tiers, &xlbt_reset, &xlbt_flood, &xlbt_icmp,
	&xlbt_ipv6, &xlbt_ipv6_icmp, &xlbt_random,
};

int main(int argc, char **argv)
{
	static struct tctx t;
	const char *arg = argc > 1 ? argv[1] : getenv("XLBT_IFINDEX");
	const struct row_table *tb;
	int ifindex, i, j, pass = 0, fail = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ifindex = arg ? atoi(arg) : 0;
	if (ifindex <= 0) {
		fprintf(stderr, "usage: %s IFINDEX (lbside's, in run.sh's namespace)\n",
			argv[0]);
		return 2;
	}
	if (fx_open(&t.fx, ifindex)) {
		fx_close(&t.fx);
		printf("bpf: 0 passed, 1 failed (cannot load the objects)\n");
		return 1;
	}
	for (j = 0; j < (int)(sizeof(tables) / sizeof(tables[0])); j++) {
		tb = tables[j];
		/* A table continuing the previous one's flows would depend
		 * on the order of the tables. */
		if (tb->n && !tb->rows[0].setup) {
			printf("FAIL %s: its first row has no setup\n", tb->name);
			fail++;
			continue;
		}
		for (i = 0; i < tb->n; i++) {
			if (run_row(&t, &tb->rows[i]))
				fail++;
			else
				pass++;
		}
	}
	fx_close(&t.fx);
	printf("bpf: %d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}
