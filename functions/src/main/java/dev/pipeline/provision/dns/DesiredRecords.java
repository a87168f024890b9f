package dev.pipeline.provision.dns;

import dev.pipeline.functions.StageFailedException;
import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.Role;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The A records the spec's backends need, from ProvisionBackends' output: pure, no AWS. */
final class DesiredRecords {
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private DesiredRecords() {}

    /** DNS name ({@code db01.vprofile.in}) → private IPv4 address, in role order. */
    static Map<String, String> of(EnvironmentSpec spec, ProvisionDnsInput.Backends backends) {
        Map<String, ProvisionDnsInput.Backend> instances = backends == null || backends.instances() == null
                ? Map.of() : backends.instances();
        Map<String, String> records = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            if (!role.hasPrivateDnsName()) continue;
            String host = spec.instance(role).hostname().orElseThrow();
            ProvisionDnsInput.Backend backend = instances.get(host);
            String ip = backend == null ? null : backend.privateIp();
            if (ip == null || ip.isBlank()) {
                throw new StageFailedException("the workflow state has no private IP for " + role.service() + " server "
                        + host + " ($.backends.instances." + host + ".privateIp); ProvisionBackends must run first");
            }
            if (!IPV4.matcher(ip).matches()) {
                throw new StageFailedException("the private IP of " + host + " is not an IPv4 address: " + ip);
            }
            records.put(spec.privateDnsName(role), ip);
        }
        return records;
    }
}
