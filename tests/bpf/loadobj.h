/* SPDX-License-Identifier: GPL-2.0 */
/* What every program that loads xlb's objects by itself needs (the BPF
 * fixture, the fuzzer, the part 1 benchmark): a private pin folder that
 * goes away on every exit path, libbpf's output kept quiet, and an
 * interface's MAC. Plain libbpf: no agent code, no skeleton. */
#ifndef XLBT_LOADOBJ_H
#define XLBT_LOADOBJ_H

struct bpf_object;

/* Make the pin folder dir (mode 0700; a stale one of a recycled pid is
 * emptied first) and remove it with everything in it at exit and on
 * SIGINT, SIGTERM, SIGHUP, SIGSEGV and SIGABRT. Returns 0 or -errno,
 * after printing why. */
int lo_pins_open(const char *dir);
/* The folder, for bpf_object_open_opts.pin_root_path. */
const char *lo_pins_dir(void);
/* Remember the pin paths of o's maps: a signal handler may only unlink
 * known paths (no directory walk). Call after opening o. */
void lo_pins_note(struct bpf_object *o);
/* Empty and remove the folder (also done at exit). */
void lo_pins_remove(void);

/* libbpf's debug output only with XLBT_DEBUG set in the environment. */
void lo_libbpf_quiet(void);

/* The MAC of ifindex: 0 or -errno. */
int lo_if_mac(int ifindex, unsigned char mac[6]);

#endif
