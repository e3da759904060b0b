/*
 * IPC spaces: creation and destruction.
 */
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <kern/assert.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <kern/printf.h>
#include <kern/zalloc.h>

static struct ipc_space kernel_space_store, reply_space_store;
ipc_space_t ipc_space_kernel = &kernel_space_store;
ipc_space_t ipc_space_reply = &reply_space_store;
unsigned ipc_spaces_alive;
static struct zone space_zone;

/* ipc_space_bootstrap: zones and the kernel pseudo-spaces.  Once. */
void ipc_space_bootstrap(void)
{
	zone_init(&space_zone, "ipc.spaces", sizeof(struct ipc_space), 0);
	ipc_port_init_zone();
	ipc_pset_init_zone();
	kernel_space_store.is_active = true;
	kernel_space_store.is_references = 1;
	reply_space_store.is_active = true;
	reply_space_store.is_references = 1;
}

/* ipc_space_create: an empty active space for task (one reference). */
kern_return_t ipc_space_create(struct task *task, ipc_space_t *spacep)
{
	ipc_space_t s = zalloc(&space_zone);
	if (s == NULL)
		return KERN_RESOURCE_SHORTAGE;
	memset(s, 0, sizeof(*s));
	s->is_active = true;
	s->is_references = 1;
	s->is_task = task;
	ipc_spaces_alive++;
	*spacep = s;
	return KERN_SUCCESS;
}

/*
 * ipc_space_destroy: destroy every right (receive rights die, send
 * rights are released, sets are destroyed) and make the space inactive.
 * Notifications fire as for each right's destruction.
 */
void ipc_space_destroy(ipc_space_t s)
{
	if (!s->is_active)
		return;
	for (uint32_t i = 1; i < s->is_table_size; i++) {
		ipc_entry_t e = &s->is_table[i];
		if (IE_BITS_TYPE(e->ie_bits) == 0)
			continue;
		mach_port_name_t name = MACH_PORT_MAKE(i, e->ie_gen);
		ipc_right_destroy(s, name, e);
		/* a receive right with send urefs leaves a dead name behind */
		if (IE_BITS_TYPE(e->ie_bits) != 0)
			ipc_entry_dealloc(s, name, e);
	}
	s->is_active = false;
	assert(s->is_used == 0);
	if (s->is_table)
		kfree(s->is_table, s->is_table_size * sizeof(struct ipc_entry));
	s->is_table = NULL;
	s->is_table_size = 0;
	s->is_free = 0;
}

/* ipc_space_reference: one more reference. */
void ipc_space_reference(ipc_space_t s)
{
	s->is_references++;
}

/* ipc_space_release: drop a reference; the last frees an inactive space. */
void ipc_space_release(ipc_space_t s)
{
	if (s == ipc_space_kernel || s == ipc_space_reply)
		return;
	assert(s->is_references > 0);
	if (--s->is_references > 0)
		return;
	ipc_space_destroy(s);
	ipc_spaces_alive--;
	zfree(&space_zone, s);
}

static const char *type_string(uint32_t bits)
{
	static char buf[32];
	buf[0] = '\0';
	size_t n = 0;
	if (bits & MACH_PORT_TYPE_SEND) n += strlcpy(buf + n, "send ", sizeof(buf) - n);
	if (bits & MACH_PORT_TYPE_RECEIVE) n += strlcpy(buf + n, "receive ", sizeof(buf) - n);
	if (bits & MACH_PORT_TYPE_SEND_ONCE) n += strlcpy(buf + n, "send-once ", sizeof(buf) - n);
	if (bits & MACH_PORT_TYPE_PORT_SET) n += strlcpy(buf + n, "port-set ", sizeof(buf) - n);
	if (bits & MACH_PORT_TYPE_DEAD_NAME) n += strlcpy(buf + n, "dead-name ", sizeof(buf) - n);
	return buf;
}

/* ipc_space_print: every entry: name, type, urefs, object. */
void ipc_space_print(ipc_space_t s)
{
	printf("space %p %s entries %u/%u\n", (void *)s, s->is_active ? "active" : "dead",
	       s->is_used, s->is_table_size);
	for (uint32_t i = 1; i < s->is_table_size; i++) {
		ipc_entry_t e = &s->is_table[i];
		if (IE_BITS_TYPE(e->ie_bits) == 0)
			continue;
		printf("  name %#8x  %-22s urefs %5u  object %p%s\n",
		       MACH_PORT_MAKE(i, e->ie_gen), type_string(e->ie_bits),
		       IE_BITS_UREFS(e->ie_bits), (void *)e->ie_object,
		       e->ie_dnrequest ? " dnrequest" : "");
	}
}
