/* SPDX-License-Identifier: GPL-2.0 */
/* Where an agent keeps its pins, lock and control socket. One agent per
 * instance; the instance is named by the environment variable
 * XLB_INSTANCE (default: none), so that several agents (tests running in
 * parallel, two containers sharing the host's bpffs) never meet:
 *   pins   /sys/fs/bpf/xlb        or /sys/fs/bpf/xlb-NAME
 *   lock   /run/xlb/xlb.lock      or /run/xlb/NAME.lock
 *   socket /run/xlb/xlb.sock      or /run/xlb/NAME.sock */
#ifndef XLB_PATHS_H
#define XLB_PATHS_H

#define XLB_RUN_DIR "/run/xlb"

/* NULL when XLB_INSTANCE is not a valid name (letters, digits, - and _,
 * 1 to 32 of them); callers report it with xlb_instance_error(). */
const char *xlb_pin_root(void);
const char *xlb_lock_path(void);
const char *xlb_default_socket(void);
/* pin root + "/" + name, in a static buffer per call site's needs. */
const char *xlb_pin_path(const char *name, char *buf, int len);
int xlb_instance_check(void);

#endif
