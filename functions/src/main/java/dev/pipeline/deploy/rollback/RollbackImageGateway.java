package dev.pipeline.deploy.rollback;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.util.Optional;

/** The state of a release's AMI; the only class of the package importing EC2 SDK types. */
public class RollbackImageGateway {
    private final Ec2Client ec2;

    public RollbackImageGateway(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** The image's state (available, pending, failed, deregistered...); empty when EC2 no longer knows it. */
    public Optional<String> imageState(String imageId) {
        try {
            return ec2.describeImages(b -> b.imageIds(imageId)).images().stream().findFirst().map(i -> i.stateAsString());
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
            if (code.startsWith("InvalidAMIID.")) return Optional.empty(); // NotFound, Unavailable, Malformed
            throw e;
        }
    }
}
