/*
 * IPC spaces and their entries.
 *
 * A space maps names to rights.  A name is (index << 8) | generation:
 * MACH_PORT_INDEX(name) selects an entry of the table and the low byte
 * must match the entry's generation, which changes every time the entry
 * is freed, so a stale name never reaches the entry's next user.
 * Index 0 is never used (name 0 is MACH_PORT_NULL).
 *
 * An entry's ie_bits hold the right types (MACH_PORT_TYPE_* bits, 16..20)
 * and the user references (bits 0..15).  Invariants:
 *   - a free entry has no type bits and is on the free list;
 *   - receive and send rights to the same port share one entry (send
 *     urefs counted in the entry), found from the port by the reverse
 *     hash (so a send right arriving again coalesces into that name);
 *   - a send-once right always has its own entry with urefs 1;
 *   - a port set has urefs 0, a receive right alone has urefs 0;
 *   - a dead name has urefs > 0 and no object.
 * Each entry holding a port or set holds one object reference.
 */
#ifndef _IPC_IPC_SPACE_H_
#define _IPC_IPC_SPACE_H_

#include <ipc/ipc_object.h>

#define IE_BITS_UREFS_MASK	0x0000ffffu
#define IE_BITS_TYPE_MASK	0x001f0000u
#define IE_BITS_UREFS(b)	((b) & IE_BITS_UREFS_MASK)
#define IE_BITS_TYPE(b)		((b) & IE_BITS_TYPE_MASK)

#define IS_TABLE_MIN		64
#define IS_TABLE_MAX		(64u * 1024)	/* entries; then KERN_NO_SPACE */
#define IS_HASH_SIZE		64

struct ipc_entry {
	ipc_object_t ie_object;
	uint32_t ie_bits;
	uint32_t ie_next;		/* free list, by index (0 ends it) */
	uint32_t ie_hnext;		/* reverse-hash chain, by index */
	uint8_t ie_gen;
	bool ie_hashed;
	bool ie_dnrequest;		/* a dead-name request is armed */
};
typedef struct ipc_entry *ipc_entry_t;

struct task;

struct ipc_space {
	bool is_active;
	uint32_t is_references;
	struct ipc_entry *is_table;
	uint32_t is_table_size;
	uint32_t is_free;		/* head of the free list (index) */
	uint32_t is_used;		/* entries in use */
	uint32_t is_hash[IS_HASH_SIZE];	/* heads of reverse-hash chains */
	struct task *is_task;
};
typedef struct ipc_space *ipc_space_t;

#define IS_NULL		((ipc_space_t)0)

/* The kernel's pseudo-spaces: kernel objects and kernel-held reply ports. */
extern ipc_space_t ipc_space_kernel;
extern ipc_space_t ipc_space_reply;

void ipc_space_bootstrap(void);
kern_return_t ipc_space_create(struct task *task, ipc_space_t *spacep);
/* Destroy every right in the space and make it inactive. */
void ipc_space_destroy(ipc_space_t space);
void ipc_space_reference(ipc_space_t space);
void ipc_space_release(ipc_space_t space);
void ipc_space_print(ipc_space_t space);

/* Entry-level operations (ipc_entry.c). */
ipc_entry_t ipc_entry_lookup(ipc_space_t space, mach_port_name_t name);
kern_return_t ipc_entry_alloc(ipc_space_t space, mach_port_name_t *namep, ipc_entry_t *entryp);
kern_return_t ipc_entry_alloc_name(ipc_space_t space, mach_port_name_t name, ipc_entry_t *entryp);
void ipc_entry_dealloc(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry);
mach_port_name_t ipc_entry_name(ipc_space_t space, ipc_entry_t entry);

/* Reverse lookup of the entry naming a port's send/receive right. */
bool ipc_hash_lookup(ipc_space_t space, ipc_object_t obj, mach_port_name_t *namep, ipc_entry_t *entryp);
void ipc_hash_insert(ipc_space_t space, ipc_object_t obj, mach_port_name_t name, ipc_entry_t entry);
void ipc_hash_delete(ipc_space_t space, ipc_object_t obj, mach_port_name_t name, ipc_entry_t entry);

extern unsigned ipc_spaces_alive;

#endif
