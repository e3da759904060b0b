/*
 * mach_msg_destroy: release what a message carries, as if it had been
 * received and thrown away (or, for a message that was never sent, as if
 * it had been sent and then destroyed in the kernel).
 *
 * In a received message msgh_remote_port holds the right the sender
 * passed (usually the reply right) and msgh_local_port names the port it
 * arrived on, which carries no right; so only the remote and voucher
 * fields and the descriptors are released.  Out-of-line memory is
 * deallocated when its descriptor says so, as XNU's libsyscall does.
 * The MAKE_SEND and MAKE_SEND_ONCE dispositions of an unsent message are
 * undone by making the right and then dropping it, so the port sees the
 * same make-send count and notifications a real send would have caused.
 */
#include <mach/mach.h>
#include <mach/mig.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>

/* Release one right of the given disposition held under name. */
static void destroy_right(mach_port_name_t name, mach_msg_type_name_t disp)
{
	mach_port_t self = mach_task_self();

	if (!MACH_PORT_VALID(name))
		return;
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		(void)mach_port_deallocate(self, name);
		break;
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		(void)mach_port_mod_refs(self, name, MACH_PORT_RIGHT_RECEIVE,
		    -1);
		break;
	case MACH_MSG_TYPE_MAKE_SEND:
		if (mach_port_insert_right(self, name, name,
		    MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS)
			(void)mach_port_deallocate(self, name);
		break;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE: {
		mach_port_t once;
		mach_msg_type_name_t type;
		if (mach_port_extract_right(self, name,
		    MACH_MSG_TYPE_MAKE_SEND_ONCE, &once, &type) == KERN_SUCCESS)
			(void)mach_port_deallocate(self, once);
		break;
	}
	default:
		/* COPY_SEND leaves the sender's right where it was. */
		break;
	}
}

/*
 * mach_msg_destroy: release every port right and every out-of-line region
 * msg carries (see above).  msg must be a whole, well-formed message.
 */
void mach_msg_destroy(mach_msg_header_t *msg)
{
	mach_msg_bits_t bits = msg->msgh_bits;

	destroy_right(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(bits));
	destroy_right(msg->msgh_voucher_port, MACH_MSGH_BITS_VOUCHER(bits));
	if (!(bits & MACH_MSGH_BITS_COMPLEX))
		return;

	mach_msg_base_t *base = (mach_msg_base_t *)msg;
	mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(base + 1);
	mach_msg_size_t count = base->body.msgh_descriptor_count;

	for (mach_msg_size_t i = 0; i < count; i++, d++) {
		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			destroy_right(d->port.name, d->port.disposition);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
			if (d->out_of_line.deallocate && d->out_of_line.size)
				(void)vm_deallocate(mach_task_self(),
				    (vm_address_t)d->out_of_line.address,
				    d->out_of_line.size);
			break;
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			mach_port_name_t *names = d->ool_ports.address;
			for (mach_msg_size_t j = 0; j < d->ool_ports.count; j++)
				destroy_right(names[j],
				    d->ool_ports.disposition);
			if (d->ool_ports.deallocate && d->ool_ports.count)
				(void)vm_deallocate(mach_task_self(),
				    (vm_address_t)names,
				    d->ool_ports.count * sizeof(*names));
			break;
		}
		default:
			return;		/* unknown layout: stop here */
		}
	}
}
