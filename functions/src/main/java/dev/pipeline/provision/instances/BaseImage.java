package dev.pipeline.provision.instances;

/**
 * A resolved AMI: its id, and its root device, which the launch must name to make the root volume encrypted gp3.
 *
 * @param rootVolumeGiB the size of the image's root snapshot; null when the image does not say
 */
public record BaseImage(String imageId, String rootDeviceName, Integer rootVolumeGiB) {
}
