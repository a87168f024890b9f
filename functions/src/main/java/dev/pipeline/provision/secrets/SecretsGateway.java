package dev.pipeline.provision.secrets;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.Tag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SSM parameters and the manifest object: the only class of the secrets stages that speaks the SDK. Never
 * decrypts a parameter, and creation refuses to overwrite.
 */
public class SecretsGateway {
    private final SsmClient ssm;
    private final S3Client s3;

    public SecretsGateway(SsmClient ssm, S3Client s3) {
        this.ssm = ssm;
        this.s3 = s3;
    }

    /**
     * The parameter's type ("SecureString", "String", "StringList"), or empty when it does not exist. GetParameter
     * WITHOUT decryption: a SecureString comes back still encrypted, which needs no kms:Decrypt and never puts
     * the plaintext in this function. (Not DescribeParameters: IAM cannot scope it to a parameter path, so the
     * function's policy, limited to /pipeline/env/*, might not allow it; we could not confirm either way.)
     */
    public Optional<String> typeOf(String name) {
        try {
            return Optional.of(ssm.getParameter(b -> b.name(name).withDecryption(false)).parameter().typeAsString());
        } catch (ParameterNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Creates a SecureString with the account's default key ({@code aws/ssm}), tagged at creation. Returns false,
     * changing nothing, when the parameter already exists (Overwrite=false is what makes a re-run keep values).
     */
    public boolean createSecureString(String name, String description, String value, Map<String, String> tags) {
        try {
            ssm.putParameter(b -> b.name(name).description(description).value(value).type(ParameterType.SECURE_STRING)
                    .overwrite(false).tags(tags.entrySet().stream()
                            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()));
            return true;
        } catch (ParameterAlreadyExistsException e) {
            return false;
        }
    }

    /** Deletes the parameters that exist; returns the names deleted (missing ones are simply not listed). */
    public List<String> deleteParameters(Collection<String> names) {
        return new ArrayList<>(ssm.deleteParameters(b -> b.names(names)).deletedParameters());
    }

    /**
     * Deletes the object. S3 answers success whether or not it existed, so this is "converge to absent" as is; in a
     * versioned bucket it adds a delete marker (older versions stay, like every release in that bucket).
     */
    public void deleteObject(String bucket, String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }
}
