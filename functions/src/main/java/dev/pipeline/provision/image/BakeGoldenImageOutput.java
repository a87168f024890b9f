package dev.pipeline.provision.image;

/**
 * BakeGoldenImage's result, at {@code $.goldenImage}.
 *
 * @param ready   true once the image is available (and app01 has been retired)
 * @param imageId the golden AMI, or the one being made; null only while app01 itself is not ready to be imaged
 */
public record BakeGoldenImageOutput(boolean ready, String imageId) {}
