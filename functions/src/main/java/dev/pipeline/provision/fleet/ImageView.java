package dev.pipeline.provision.fleet;

import java.time.Instant;
import java.util.Map;

/**
 * An AMI as the launch template stage needs it.
 *
 * @param rootVolumeSizeGiB the size of the root device's snapshot, or null when the image does not say
 */
public record ImageView(String imageId, Instant creationDate, String rootDeviceName, Integer rootVolumeSizeGiB,
                        String state, Map<String, String> tags) {

    /** AL2023 images boot from /dev/xvda, Ubuntu's from /dev/sda1: a mapping must name the image's own root device. */
    public String rootDevice() {
        return rootDeviceName == null ? "/dev/xvda" : rootDeviceName;
    }
}
