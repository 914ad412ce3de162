/* SPDX-License-Identifier: GPL-2.0 */
/* Names for people: the data path never reads these maps; the agent fills
 * them so that `xlb status` and bpftool show configured names. */
#ifndef XLB_NAMES_H
#define XLB_NAMES_H

#define XLB_LABEL_MAX 64

/* Map "svc_names": array, service id -> struct xlb_svc_name. */
struct xlb_svc_name {
	char frontend[XLB_LABEL_MAX];
	char backend[XLB_LABEL_MAX];
	unsigned int algo;	/* enum xlb_algo */
	unsigned int nbackends;
	unsigned int in_use;	/* 1 when this id is configured */
};

/* Map "backend_names": array, backend id -> struct xlb_backend_name. */
struct xlb_backend_name {
	char backend[XLB_LABEL_MAX];
	char server[XLB_LABEL_MAX];
	unsigned int in_use;
};

#endif
