/*
 * Entry tables: allocation, lookup, growth, and the reverse hash.
 */
#include <ipc/ipc_space.h>
#include <kern/assert.h>
#include <kern/kalloc.h>
#include <kern/lib.h>

static inline uint32_t hash_obj(ipc_object_t obj)
{
	uintptr_t v = (uintptr_t)obj;
	return (uint32_t)((v >> 4) ^ (v >> 10)) % IS_HASH_SIZE;
}

/* ipc_entry_name: the current name of an entry. */
mach_port_name_t ipc_entry_name(ipc_space_t space, ipc_entry_t entry)
{
	uint32_t index = (uint32_t)(entry - space->is_table);
	return MACH_PORT_MAKE(index, entry->ie_gen);
}

/*
 * ipc_entry_lookup: the entry name denotes, or NULL when the index is out
 * of range, the generation is stale, or the entry is free.
 */
ipc_entry_t ipc_entry_lookup(ipc_space_t space, mach_port_name_t name)
{
	uint32_t index = MACH_PORT_INDEX(name);
	if (!space->is_active || index == 0 || index >= space->is_table_size)
		return NULL;
	ipc_entry_t e = &space->is_table[index];
	if (e->ie_gen != MACH_PORT_GEN(name) || IE_BITS_TYPE(e->ie_bits) == 0)
		return NULL;
	return e;
}

/*
 * Grow the table to at least `want` entries (doubling).  The new entries
 * go on the free list in index order.  KERN_NO_SPACE past IS_TABLE_MAX,
 * KERN_RESOURCE_SHORTAGE when memory is short.
 */
static kern_return_t table_grow(ipc_space_t space, uint32_t want)
{
	uint32_t old = space->is_table_size;
	uint32_t size = old ? old : IS_TABLE_MIN;
	while (size < want)
		size *= 2;
	if (size == old)
		size *= 2;
	if (size > IS_TABLE_MAX) {
		if (old >= IS_TABLE_MAX || want > IS_TABLE_MAX)
			return KERN_NO_SPACE;
		size = IS_TABLE_MAX;
	}
	struct ipc_entry *t = kalloc(size * sizeof(*t));
	if (t == NULL)
		return KERN_RESOURCE_SHORTAGE;
	if (old)
		memcpy(t, space->is_table, old * sizeof(*t));
	memset(t + old, 0, (size - old) * sizeof(*t));
	/* chain the new entries, keeping the old free list behind them */
	uint32_t first = old ? old : 1;
	for (uint32_t i = first; i < size; i++)
		t[i].ie_next = i + 1 < size ? i + 1 : space->is_free;
	space->is_free = first < size ? first : space->is_free;
	if (old)
		kfree(space->is_table, old * sizeof(*t));
	space->is_table = t;
	space->is_table_size = size;
	return KERN_SUCCESS;
}

/*
 * ipc_entry_alloc: a free entry with a fresh name.  The entry's type bits
 * are 0; the caller must set them before anything else can look.
 */
kern_return_t ipc_entry_alloc(ipc_space_t space, mach_port_name_t *namep, ipc_entry_t *entryp)
{
	if (!space->is_active)
		return KERN_INVALID_TASK;
	if (space->is_free == 0) {
		kern_return_t kr = table_grow(space, space->is_table_size + 1);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	uint32_t index = space->is_free;
	ipc_entry_t e = &space->is_table[index];
	space->is_free = e->ie_next;
	e->ie_next = 0;
	e->ie_object = IO_NULL;
	e->ie_bits = 0;
	space->is_used++;
	*namep = MACH_PORT_MAKE(index, e->ie_gen);
	*entryp = e;
	return KERN_SUCCESS;
}

/*
 * ipc_entry_alloc_name: the entry for exactly `name`.  If it is in use,
 * returns it (the caller decides whether that is an error); otherwise
 * takes it off the free list with name's generation.  KERN_INVALID_VALUE
 * for MACH_PORT_NULL/DEAD or index 0.
 */
kern_return_t ipc_entry_alloc_name(ipc_space_t space, mach_port_name_t name, ipc_entry_t *entryp)
{
	uint32_t index = MACH_PORT_INDEX(name);
	if (!space->is_active)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_VALID(name) || index == 0)
		return KERN_INVALID_VALUE;
	if (index >= space->is_table_size) {
		if (index >= IS_TABLE_MAX)
			return KERN_NO_SPACE;
		kern_return_t kr = table_grow(space, index + 1);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	ipc_entry_t e = &space->is_table[index];
	if (IE_BITS_TYPE(e->ie_bits) != 0) {
		if (e->ie_gen != MACH_PORT_GEN(name))
			return KERN_NAME_EXISTS;	/* index busy under another name */
		*entryp = e;
		return KERN_SUCCESS;
	}
	/* unlink index from the free list */
	uint32_t *pp = &space->is_free;
	while (*pp != index) {
		assert(*pp != 0);
		pp = &space->is_table[*pp].ie_next;
	}
	*pp = e->ie_next;
	e->ie_next = 0;
	e->ie_gen = (uint8_t)MACH_PORT_GEN(name);
	e->ie_object = IO_NULL;
	e->ie_bits = 0;
	space->is_used++;
	*entryp = e;
	return KERN_SUCCESS;
}

/*
 * ipc_entry_dealloc: free the entry; the next name for this index gets a
 * new generation.  The entry must hold no rights and not be hashed.
 */
void ipc_entry_dealloc(ipc_space_t space, mach_port_name_t name __unused, ipc_entry_t e)
{
	assert(!e->ie_hashed);
	uint32_t index = (uint32_t)(e - space->is_table);
	e->ie_bits = 0;
	e->ie_object = IO_NULL;
	e->ie_dnrequest = false;
	e->ie_gen++;
	if (e->ie_gen == 0xff)
		e->ie_gen = 0;	/* keep index 0xffffff:0xff, MACH_PORT_DEAD, unreachable */
	e->ie_next = space->is_free;
	space->is_free = index;
	space->is_used--;
}

/* ipc_hash_lookup: the entry naming obj's send/receive right in space. */
bool ipc_hash_lookup(ipc_space_t space, ipc_object_t obj, mach_port_name_t *namep, ipc_entry_t *entryp)
{
	for (uint32_t i = space->is_hash[hash_obj(obj)]; i != 0; i = space->is_table[i].ie_hnext) {
		ipc_entry_t e = &space->is_table[i];
		if (e->ie_object == obj) {
			*namep = MACH_PORT_MAKE(i, e->ie_gen);
			*entryp = e;
			return true;
		}
	}
	return false;
}

/* ipc_hash_insert: make entry findable from obj. */
void ipc_hash_insert(ipc_space_t space, ipc_object_t obj, mach_port_name_t name __unused, ipc_entry_t e)
{
	assert(!e->ie_hashed);
	uint32_t h = hash_obj(obj);
	e->ie_hnext = space->is_hash[h];
	space->is_hash[h] = (uint32_t)(e - space->is_table);
	e->ie_hashed = true;
}

/* ipc_hash_delete: undo ipc_hash_insert. */
void ipc_hash_delete(ipc_space_t space, ipc_object_t obj, mach_port_name_t name __unused, ipc_entry_t e)
{
	assert(e->ie_hashed);
	uint32_t index = (uint32_t)(e - space->is_table);
	uint32_t *pp = &space->is_hash[hash_obj(obj)];
	while (*pp != index) {
		assert(*pp != 0);
		pp = &space->is_table[*pp].ie_hnext;
	}
	*pp = e->ie_hnext;
	e->ie_hnext = 0;
	e->ie_hashed = false;
}
