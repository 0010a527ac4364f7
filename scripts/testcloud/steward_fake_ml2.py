"""ML2 mechanism driver for the Steward test cloud: binds every port, no agent.

Why: the test cloud runs neutron-server with ML2 but without any L2 agent
(no OVS/OVN/linuxbridge on a CI runner).  The shipped drivers only bind a port
when an agent for the host reports alive (openvswitch, macvtap, sriov) or
when the host has a magic test name (the `test` driver from neutron.tests).
Without a binding, nova-compute sees binding:vif_type=binding_failed and the
server goes to ERROR.  This driver binds any segment on any host with
vif_type "ovs" and marks the port ACTIVE, so servers booted on a network
reach ACTIVE with nova's fake.FakeDriver (which never plugs VIFs anyway).

Registered as ML2 mechanism driver `steward_fake` via an entry point written
by scripts/testcloud/lib/install.sh (a minimal *.dist-info in the venv).
"""
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api


class StewardFakeMechanismDriver(api.MechanismDriver):

    def initialize(self):
        pass

    @property
    def connectivity(self):
        # "l2" lets ML2 pick this driver also for ports without fixed IPs
        return portbindings.CONNECTIVITY_L2

    def bind_port(self, context):
        vnic = context.current.get(portbindings.VNIC_TYPE, portbindings.VNIC_NORMAL)
        if vnic not in (portbindings.VNIC_NORMAL, portbindings.VNIC_DIRECT,
                        portbindings.VNIC_BAREMETAL):
            return
        for segment in context.segments_to_bind:
            context.set_binding(segment[api.ID], portbindings.VIF_TYPE_OVS,
                                {portbindings.CAP_PORT_FILTER: True,
                                 portbindings.OVS_HYBRID_PLUG: False},
                                status=constants.PORT_STATUS_ACTIVE)
            return
