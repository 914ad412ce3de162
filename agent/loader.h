/* SPDX-License-Identifier: GPL-2.0 */
/* Loading the BPF objects, pinning their maps, attaching to interfaces. */
#ifndef XLB_LOADER_H
#define XLB_LOADER_H

#include <stdbool.h>
#include <xdp/libxdp.h>
#include "xlb_limits.h"
#include "iface.h"

#include "paths.h"

#define XLB_PIN_ROOT xlb_pin_root()

enum xlb_mode_choice { XLB_MODE_AUTO, XLB_MODE_NATIVE, XLB_MODE_GENERIC };

struct xlb_bpf;
struct xlb_gc_bpf;

struct xlb_attachment {
	struct xlb_iface ifc;
	struct xlb_bpf *skel;
	struct xdp_program *prog;	/* attached through libxdp, or */
	int legacy_fd;			/* swapped in for a kept program */
	enum xdp_attach_mode mode;
};

struct xlb_loader {
	unsigned int max_flows;
	struct xlb_gc_bpf *gc;		/* creates and pins the maps */
	int n;
	struct xlb_attachment att[XLB_MAX_IFACES];
};

int xlb_bpffs_ensure(void);
/* Remove every pin under XLB_PIN_ROOT and the folder itself. */
int xlb_pins_remove(void);
/* Load the expiry program; it creates (and pins) every shared map. */
int xlb_loader_open(struct xlb_loader *l, unsigned int max_flows);
/* Load a program instance for ifc (reusing the pinned maps) and attach
 * it through libxdp in the chosen mode; logs the mode and why. */
int xlb_loader_attach(struct xlb_loader *l, const struct xlb_iface *ifc,
		      enum xlb_mode_choice choice);
/* Close everything; detach the programs and remove the pins if asked
 * (not with --keep: the data path then runs on without the agent). */
void xlb_loader_close(struct xlb_loader *l, bool detach, bool unpin);
/* fd of the expiry program. */
int xlb_loader_gc_fd(const struct xlb_loader *l);
/* fd of a shared map by name (from the expiry program's object). */
int xlb_loader_map_fd(const struct xlb_loader *l, const char *name);

#endif
