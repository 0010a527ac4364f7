"""A Cinder volume driver that keeps each volume as a sparse file.

Why not cinder.tests.fake_driver.FakeLoggingVolumeDriver: it stores nothing
and hands out an iSCSI connection without a target, so cinder-backup (which
attaches the volume on its own host through os-brick and reads it) fails.
Here every volume is a sparse file under `volumes_dir` and connections are
os-brick's `local` type (`device_path` = the file), which needs no root, no
LVM, no iSCSI target: backups read real bytes, restores write them back.
Nova's fake virt driver ignores the connection info, so attach works too.

Installed into the venv's site-packages by scripts/testcloud (lib/install.sh)
and selected with `volume_driver = steward_file_volume.StewardFileVolumeDriver`.
"""
import os
import subprocess

from oslo_log import log as logging

from cinder import exception
from cinder import interface
from cinder.volume import driver

LOG = logging.getLogger(__name__)
GiB = 1024 ** 3


@interface.volumedriver
class StewardFileVolumeDriver(driver.VolumeDriver):
    VERSION = '1.0.0'
    CI_WIKI_NAME = 'Steward_testcloud'

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.backend_name = (self.configuration.safe_get('volume_backend_name')
                             or 'steward_file')
        self._dir = self.configuration.safe_get('volumes_dir')

    # -- helpers ----------------------------------------------------------
    def _path(self, name):
        return os.path.join(self._dir, name)

    def _resize(self, name, size_gb):
        with open(self._path(name), 'ab') as f:
            f.truncate(int(size_gb) * GiB)

    def _grow(self, name, size_gb):
        """Back to the nominal size after a host wrote the file.

        cinder-backup restores with open(device_path, 'wb'): on a block
        device that keeps the size, on our file it truncates, and the
        chunked backup driver then writes (sparsely) only up to the last
        chunk with data.  So the file is grown back, never shrunk, whenever
        a connection ends or starts."""
        path = self._path(name)
        if os.path.exists(path) and os.path.getsize(path) < int(size_gb) * GiB:
            self._resize(name, size_gb)

    def _copy(self, src, dst, size_gb):
        # sparse copy: a 1 GiB volume of zeros stays a few blocks on disk
        subprocess.run(['cp', '--sparse=always', self._path(src),
                        self._path(dst)], check=True)
        self._resize(dst, size_gb)

    def _connection(self, name):
        return {'driver_volume_type': 'local',
                'data': {'device_path': self._path(name),
                         'access_mode': 'rw'}}

    # -- setup and stats --------------------------------------------------
    def do_setup(self, context):
        os.makedirs(self._dir, exist_ok=True)

    def check_for_setup_error(self):
        if not os.path.isdir(self._dir):
            raise exception.VolumeBackendAPIException(
                data='volumes_dir %s does not exist' % self._dir)

    def _update_volume_stats(self):
        st = os.statvfs(self._dir)
        total = st.f_blocks * st.f_frsize / GiB
        free = st.f_bavail * st.f_frsize / GiB
        self._stats = {
            'volume_backend_name': self.backend_name,
            'vendor_name': 'Steward test cloud',
            'driver_version': self.VERSION,
            'storage_protocol': 'local',
            'pools': [{
                'pool_name': self.backend_name,
                'total_capacity_gb': round(total, 2),
                'free_capacity_gb': round(free, 2),
                'reserved_percentage': 0,
                'thin_provisioning_support': True,
                'thick_provisioning_support': False,
                'max_over_subscription_ratio': 20.0,
                'provisioned_capacity_gb': 0,
                'QoS_support': False,
                'multiattach': True,
                'online_extend_support': True,
            }],
        }

    # -- volumes ----------------------------------------------------------
    def create_volume(self, volume):
        open(self._path(volume.name), 'wb').close()
        self._resize(volume.name, volume.size)

    def delete_volume(self, volume):
        try:
            os.unlink(self._path(volume.name))
        except FileNotFoundError:
            pass

    def extend_volume(self, volume, new_size):
        self._resize(volume.name, new_size)

    def create_cloned_volume(self, volume, src_vref):
        self._copy(src_vref.name, volume.name, volume.size)

    def create_snapshot(self, snapshot):
        self._copy(snapshot.volume_name, snapshot.name, snapshot.volume_size)

    def delete_snapshot(self, snapshot):
        try:
            os.unlink(self._path(snapshot.name))
        except FileNotFoundError:
            pass

    def create_volume_from_snapshot(self, volume, snapshot):
        self._copy(snapshot.name, volume.name, volume.size)

    def clone_image(self, context, volume, image_location, image_meta,
                    image_service):
        """Raw images are written into the volume file byte for byte.

        Cinder's generic path (download to a temporary file, then
        `qemu-img info` and convert) runs before copy_image_to_volume and
        needs qemu-img, which the test cloud does not install; a driver
        that "clones" skips all of it.  Other formats take that path."""
        if image_meta.get('disk_format') != 'raw':
            return None, False
        with open(self._path(volume.name), 'wb') as f:
            image_service.download(context, image_meta['id'], f)
        self._grow(volume.name, volume.size)
        return None, True

    def copy_image_to_volume(self, context, volume, image_service, image_id,
                             disable_sparse=False):
        """Raw images byte for byte (also after cinder fetched them)."""
        meta = image_service.show(context, image_id)
        if meta.get('disk_format') != 'raw':
            return super().copy_image_to_volume(
                context, volume, image_service, image_id, disable_sparse)
        with open(self._path(volume.name), 'r+b') as f:
            image_service.download(context, image_id, f)
        self._grow(volume.name, volume.size)

    def copy_image_to_encrypted_volume(self, *args, **kwargs):
        raise NotImplementedError()

    # -- exports and connections ------------------------------------------
    def ensure_export(self, context, volume):
        pass

    def create_export(self, context, volume, connector):
        pass

    def remove_export(self, context, volume):
        pass

    def initialize_connection(self, volume, connector, **kwargs):
        self._grow(volume.name, volume.size)
        return self._connection(volume.name)

    def terminate_connection(self, volume, connector, **kwargs):
        self._grow(volume.name, volume.size)

    def create_export_snapshot(self, context, snapshot, connector):
        pass

    def remove_export_snapshot(self, context, snapshot):
        pass

    def initialize_connection_snapshot(self, snapshot, connector, **kwargs):
        return self._connection(snapshot.name)

    def terminate_connection_snapshot(self, snapshot, connector, **kwargs):
        pass
