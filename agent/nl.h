/* SPDX-License-Identifier: GPL-2.0 */
/* Plain rtnetlink requests for route.c and neigh.c: every call opens its
 * own socket, sends one request (with NLM_F_ACK, or a dump) and reads
 * until the ack, the error or NLMSG_DONE, so nothing is left queued and
 * the callers are safe from any thread. */
#ifndef XLB_NL_H
#define XLB_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

struct nl_req {
	struct nlmsghdr nh;
	char data[256];	/* family header and attributes */
};

typedef int (*nl_cb)(struct nlmsghdr *nh, void *arg);

/* Start a request of type with flags (NLM_F_REQUEST added); returns its
 * family header (hdrlen bytes, zeroed). */
void *nl_init(struct nl_req *req, __u16 type, __u16 flags, size_t hdrlen);
/* Append an attribute; callers add a few small ones, far below
 * sizeof(req->data). */
void nl_attr(struct nl_req *req, __u16 type, const void *data, __u16 len);
/* A NETLINK_ROUTE socket, or -errno. */
int nl_open(void);
/* Send req and hand every reply message of it to cb (if any) until the
 * ack, the kernel's error or the end of the dump. Returns the kernel's
 * error, else the first error cb returned, else 0. */
int nl_talk(int fd, struct nl_req *req, nl_cb cb, void *arg);

/* Copy an attribute of at least len bytes; false if shorter. */
bool rta_get(struct rtattr *rta, void *out, size_t len);

#endif
