/*
 * The IPC auditor: spaces and their entries (ipc_audit.c says what is
 * checked).
 */
#include <ipc/ipc_audit_int.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <kern/task.h>

static bool valid_type_combo(uint32_t type)
{
	return type == T_SEND || type == T_RECEIVE || type == (T_SEND | T_RECEIVE) ||
	       type == T_SONCE || type == T_PSET || type == T_DEAD;
}

/* One used entry at index i of space s. */
static void audit_entry(struct audit *a, ipc_space_t s, uint32_t i, ipc_entry_t e)
{
	uint32_t bits = e->ie_bits, type = IE_BITS_TYPE(bits), urefs = IE_BITS_UREFS(bits);
	mach_port_name_t name = MACH_PORT_MAKE(i, e->ie_gen);
	task_t task = s->is_task;
	int tid = task ? task->id : -1;

	if (ipc_entry_lookup(s, name) != e)
		violation(a, "task %d name %#x does not decode to its entry", tid, name);
	if (!valid_type_combo(type)) {
		violation(a, "task %d name %#x has type bits %#x", tid, name, type);
		return;
	}
	bool urefs_ok;
	switch (type) {
	case T_SEND:
	case T_SEND | T_RECEIVE:
	case T_DEAD:
		urefs_ok = urefs >= 1 && urefs <= MACH_PORT_UREFS_MAX;
		break;
	case T_SONCE:
		urefs_ok = urefs == 1;
		break;
	default:	/* receive alone, port set */
		urefs_ok = urefs == 0;
	}
	if (!urefs_ok)
		violation(a, "task %d name %#x type %#x has %u urefs", tid, name, type, urefs);

	if (type == T_DEAD) {
		if (e->ie_object != IO_NULL)
			violation(a, "task %d dead name %#x points to %p", tid, name,
				  (void *)e->ie_object);
		if (e->ie_hashed)
			violation(a, "task %d dead name %#x is hashed", tid, name);
		if (e->ie_dnrequest)
			violation(a, "task %d dead name %#x still flags a dead-name request", tid, name);
		return;
	}
	if (type == T_PSET) {
		struct stally *st = set_tally(a, e->ie_object);
		if (st == NULL) {
			violation(a, "task %d set name %#x points to %p, not a known set", tid, name,
				  (void *)e->ie_object);
			return;
		}
		st->refs++;
		st->entries++;
		ipc_pset_t set = st->set;
		if (!set->ips_object.io_active || set->ips_space != s || set->ips_name != name)
			violation(a, "task %d set name %#x: set %u %s, space %p name %#x", tid, name,
				  set->ips_id, set->ips_object.io_active ? "active" : "dead",
				  (void *)set->ips_space, set->ips_name);
		if (e->ie_hashed)
			violation(a, "task %d set name %#x is hashed", tid, name);
		return;
	}

	struct ptally *pt = port_tally(a, e->ie_object);
	if (pt == NULL) {
		violation(a, "task %d name %#x type %#x points to %p, not a known port", tid, name,
			  type, (void *)e->ie_object);
		return;
	}
	ipc_port_t port = pt->port;
	pt->refs++;			/* the entry's reference */
	if (type & T_SEND)
		pt->send++;
	if (type & T_SONCE)
		pt->sonce++;
	if (type & T_RECEIVE) {
		pt->recv++;
		if (!ip_active(port) || port->ip_receiver != s || port->ip_receiver_name != name)
			violation(a, "task %d receive name %#x: port %u %s, receiver %p name %#x", tid,
				  name, port->ip_id, ip_active(port) ? "active" : "dead",
				  (void *)port->ip_receiver, port->ip_receiver_name);
	}
	if (e->ie_dnrequest) {
		if (type & T_SONCE || type & T_SEND)
			pt->dn_flags++;
		else
			violation(a, "task %d name %#x type %#x flags a dead-name request", tid, name,
				  type);
	}
	bool want_hash = (type & (T_SEND | T_RECEIVE)) != 0;
	if (want_hash != e->ie_hashed) {
		violation(a, "task %d name %#x type %#x is %shashed", tid, name, type,
			  e->ie_hashed ? "" : "not ");
	} else if (want_hash) {
		mach_port_name_t hname;
		ipc_entry_t he;
		if (!ipc_hash_lookup(s, e->ie_object, &hname, &he) || he != e)
			violation(a, "task %d name %#x: the reverse hash finds %s for port %u", tid,
				  name, he ? "another entry" : "nothing", port->ip_id);
	}
}

/* One space: the table, its free list and hash chains, every entry. */
void audit_space(struct audit *a, ipc_space_t s)
{
	task_t task = s->is_task;
	int tid = task ? task->id : -1;
	if (!s->is_active) {
		if (s->is_table != NULL)
			violation(a, "task %d: inactive space keeps a table", tid);
		return;
	}
	uint32_t size = s->is_table_size;
	if (size == 0) {
		if (s->is_used != 0 || s->is_free != 0)
			violation(a, "task %d: no table but used %u free %u", tid, s->is_used,
				  s->is_free);
		return;
	}
	if (size > IS_TABLE_MAX || s->is_table == NULL) {
		violation(a, "task %d: table %p of %u entries", tid, (void *)s->is_table, size);
		return;
	}
	if (a->marks_size < size) {
		if (a->marks)
			kfree(a->marks, a->marks_size);
		a->marks_size = size;
		a->marks = kalloc(size);
		if (a->marks == NULL) {
			a->marks_size = 0;
			violation(a, "task %d: no memory to check the free list", tid);
			return;
		}
	}
	memset(a->marks, 0, size);

	/* free list: free entries only, each once */
	uint32_t steps = 0;
	for (uint32_t i = s->is_free; i != 0; i = s->is_table[i].ie_next) {
		if (i >= size) {
			violation(a, "task %d: free list reaches index %u of %u", tid, i, size);
			break;
		}
		if (a->marks[i]) {
			violation(a, "task %d: free list visits index %u twice", tid, i);
			break;
		}
		a->marks[i] = 1;
		if (IE_BITS_TYPE(s->is_table[i].ie_bits) != 0)
			violation(a, "task %d: used entry %u on the free list", tid, i);
		if (++steps > size)
			break;
	}
	if (IE_BITS_TYPE(s->is_table[0].ie_bits) != 0 || a->marks[0])
		violation(a, "task %d: entry 0 is in use or on the free list", tid);

	uint32_t used = 0, hashed = 0;
	for (uint32_t i = 1; i < size; i++) {
		ipc_entry_t e = &s->is_table[i];
		if (IE_BITS_TYPE(e->ie_bits) == 0) {
			if (!a->marks[i])
				violation(a, "task %d: free entry %u is not on the free list", tid, i);
			if (e->ie_hashed || e->ie_object != IO_NULL)
				violation(a, "task %d: free entry %u hashed %d object %p", tid, i,
					  e->ie_hashed, (void *)e->ie_object);
			continue;
		}
		used++;
		if (e->ie_hashed)
			hashed++;
		audit_entry(a, s, i, e);
	}
	if (used != s->is_used)
		violation(a, "task %d: is_used %u but %u entries in use", tid, s->is_used, used);

	/* hash chains: end, hold hashed entries only, cover every hashed entry */
	uint32_t chained = 0;
	for (uint32_t h = 0; h < IS_HASH_SIZE; h++) {
		uint32_t n = 0;
		for (uint32_t i = s->is_hash[h]; i != 0; i = s->is_table[i].ie_hnext) {
			if (i >= size || ++n > size) {
				violation(a, "task %d: hash chain %u broken at index %u", tid, h, i);
				break;
			}
			if (!s->is_table[i].ie_hashed)
				violation(a, "task %d: unhashed entry %u on hash chain %u", tid, i, h);
			chained++;
		}
	}
	if (chained != hashed)
		violation(a, "task %d: %u hashed entries but %u on the chains", tid, hashed, chained);
}
