// SPDX-License-Identifier: GPL-2.0
/* The reasons map's meaning, read from the very header the binary and the
 * BPF objects were compiled with (embedded below): each counter's name
 * and whether it counts events (its comment says "(event)") or packets.
 * Others add reasons while the data path grows; a new one is a packet
 * reason unless its comment says "(event)", and its class (pass, drop,
 * tx, redirect) comes from its name. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

/* The header's text, as compiled (make rebuilds on a change: this file
 * includes it through fuzz.h, so -MMD tracks it). The path is relative to
 * the repository, where make runs the compiler. */
__asm__(".section .rodata\n"
	".globl xlbf_stats_h\n"
	"xlbf_stats_h:\n"
	".incbin \"include/xlb_stats.h\"\n"
	".byte 0\n"
	".previous\n");
extern const char xlbf_stats_h[];

struct fz_reason fz_reasons[XLB_R_MAX];

static enum fz_rclass class_of(const char *name)
{
	if (!strcmp(name, "forward_tx") || !strncmp(name, "tx_", 3))
		return RC_TX;
	if (!strcmp(name, "forward_redirect"))
		return RC_REDIRECT;
	if (!strncmp(name, "pass_", 5))
		return RC_PASS;
	if (!strncmp(name, "drop_", 5))
		return RC_DROP;
	return RC_OTHER;
}

static void fallback(const char *why)
{
	int i;

	printf("fuzz: note: cannot read enum xlb_reason (%s): reasons "
	       "19-22 are the events, the others packet reasons\n", why);
	for (i = 0; i < XLB_R_MAX; i++) {
		snprintf(fz_reasons[i].name, sizeof(fz_reasons[i].name),
			 "reason_%d", i);
		fz_reasons[i].event = i >= XLB_R_FLOW_CREATED &&
				      i <= XLB_R_FLOW_EXPIRED;
		fz_reasons[i].cls = RC_OTHER;
	}
}

/* Entries look like "\tXLB_R_NAME,\t(comment)" with comments that may
 * run over the next lines; no explicit values. */
static int parse(void)
{
	const char *p = strstr(xlbf_stats_h, "enum xlb_reason");
	const char *end;
	int n = -1, i;

	if (!p || !(end = strstr(p, "};")))
		return -1;
	p = strchr(p, '{');
	if (!p)
		return -1;
	while (p < end) {
		const char *q = strstr(p, "XLB_R_");
		char id[64];
		size_t k = 0;

		/* Comment text up to the next entry belongs to entry n. */
		if (!q || q > end)
			q = end;
		if (n >= 0 && n < XLB_R_MAX) {
			const char *ev = strstr(p, "(event)");

			if (ev && ev < q)
				fz_reasons[n].event = 1;
		}
		if (q == end)
			break;
		/* Only at the start of a line (not in a comment). */
		{
			const char *b = q;

			while (b > p && (b[-1] == ' ' || b[-1] == '\t'))
				b--;
			if (b != p && b[-1] != '\n' && b[-1] != '{') {
				p = q + 6;
				continue;
			}
		}
		q += 6;
		while (k < sizeof(id) - 1 && (isalnum((unsigned char)*q) ||
					      *q == '_'))
			id[k++] = tolower((unsigned char)*q++);
		id[k] = 0;
		if (!strcmp(id, "max"))
			break;
		if (*q == ' ' || *q == '\t')
			while (*q == ' ' || *q == '\t')
				q++;
		n++;
		/* An explicit value must be the one it would have anyway. */
		if (*q == '=' && strtol(q + 1, NULL, 0) != n)
			return -1;
		if (n >= XLB_R_MAX)
			return -1;
		snprintf(fz_reasons[n].name, sizeof(fz_reasons[n].name), "%s",
			 id);
		fz_reasons[n].cls = class_of(id);
		p = q;
	}
	if (n + 1 != XLB_R_MAX)
		return -1;
	/* The ones the harness relies on must sit where it was compiled. */
	if (strcmp(fz_reasons[XLB_R_FORWARD_TX].name, "forward_tx") ||
	    strcmp(fz_reasons[XLB_R_PASS_MALFORMED].name, "pass_malformed") ||
	    strcmp(fz_reasons[XLB_R_FLOW_CREATED].name, "flow_created") ||
	    strcmp(fz_reasons[XLB_R_FLOW_EXPIRED].name, "flow_expired"))
		return -1;
	for (i = XLB_R_FLOW_CREATED; i <= XLB_R_FLOW_EXPIRED; i++)
		if (!fz_reasons[i].event)
			return -1;
	return 0;
}

void fz_reasons_init(void)
{
	memset(fz_reasons, 0, sizeof(fz_reasons));
	if (parse()) {
		memset(fz_reasons, 0, sizeof(fz_reasons));
		fallback("unexpected layout");
	}
}

int fz_reason_find(const char *name)
{
	int i;

	for (i = 0; i < XLB_R_MAX; i++)
		if (!strcmp(fz_reasons[i].name, name))
			return i;
	return -1;
}
