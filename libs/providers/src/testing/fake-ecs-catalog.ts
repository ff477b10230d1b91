/** What the fake ECS offers in every region. */

/** Instance types: id → [cores, GiB]. */
export const INSTANCE_TYPES: Readonly<Record<string, [number, number]>> = {
  'ecs.t6-c1m1.large': [2, 2],
  'ecs.g7.large': [2, 8],
  'ecs.g7.xlarge': [4, 16],
  'ecs.c7.large': [2, 4],
  'ecs.r7.large': [2, 16],
};

/** System images of every region (the adapter picks the newest Debian 12). */
export const IMAGES = [
  {
    ImageId: 'debian_12_9_x64_20G_alibase_20250117.vhd',
    ImageName: 'debian_12_9_x64_20G_alibase_20250117.vhd',
    CreationTime: '2025-01-17T02:00:00Z',
    OSNameEn: 'Debian 12.9 64 bit',
  },
  {
    ImageId: 'debian_12_6_x64_20G_alibase_20240715.vhd',
    ImageName: 'debian_12_6_x64_20G_alibase_20240715.vhd',
    CreationTime: '2024-07-15T02:00:00Z',
    OSNameEn: 'Debian 12.6 64 bit',
  },
  {
    ImageId: 'debian_11_11_x64_20G_alibase_20240815.vhd',
    ImageName: 'debian_11_11_x64_20G_alibase_20240815.vhd',
    CreationTime: '2024-08-15T02:00:00Z',
    OSNameEn: 'Debian 11.11 64 bit',
  },
  {
    ImageId: 'ubuntu_24_04_x64_20G_alibase_20250113.vhd',
    ImageName: 'ubuntu_24_04_x64_20G_alibase_20250113.vhd',
    CreationTime: '2025-01-13T02:00:00Z',
    OSNameEn: 'Ubuntu 24.04 64 bit',
  },
];
