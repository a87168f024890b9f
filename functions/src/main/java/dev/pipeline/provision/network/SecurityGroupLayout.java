package dev.pipeline.provision.network;

import dev.pipeline.spec.EnvironmentSpec;
import dev.pipeline.spec.LoadBalancer;
import dev.pipeline.spec.Role;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's security group table, as the pipeline builds it (docs/seed-spec.md, "Security groups", pipeline
 * column): which groups exist and exactly which rules each has. Pure. Nothing outside the ALB group is open to
 * the internet, and the ALB group opens 443 only when there is a certificate to serve it with.
 */
public final class SecurityGroupLayout {

    public static final String ALB = "alb-sg";
    public static final String APP = "app-sg";
    public static final String BACKEND = "backend-sg";
    /** In creation order: the app group's rules name the ALB group, the backend group's name the app group. */
    public static final List<String> COMPONENTS = List.of(ALB, APP, BACKEND);

    static final int SSH_PORT = 22;

    /**
     * Every group keeps AWS's default of all outbound traffic: the instances install their packages at boot
     * (dnf/apt mirrors), download the WAR from S3 and reach SSM for their secrets and Session Manager; those
     * endpoints have no fixed addresses to narrow the rule to. Inbound is where exposure is controlled.
     */
    static final String EGRESS_DESCRIPTION = "all outbound: package installs, S3 WAR download, SSM";

    private SecurityGroupLayout() {
    }

    /** The group's description; set at creation (AWS cannot change it later). */
    public static String groupDescription(EnvironmentSpec spec, String component) {
        return switch (component) {
            case ALB -> spec.name() + " load balancer: HTTP and HTTPS from the internet";
            case APP -> spec.name() + " app servers: Tomcat from the load balancer, administration from the admin CIDR";
            case BACKEND -> spec.name() + " backends: MariaDB, Memcached and RabbitMQ from the app servers";
            default -> throw new IllegalArgumentException("not a security group component: " + component);
        };
    }

    /** The desired rules of each group, by component. */
    public static Map<String, List<SgRule>> rules(EnvironmentSpec spec, ProvisionSecurityGroupsOutput groups) {
        Peer admin = Peer.cidr(spec.network().adminCidr());
        boolean ssh = spec.network().sshEnabled();
        Map<String, List<SgRule>> all = new LinkedHashMap<>();

        List<SgRule> alb = new ArrayList<>();
        alb.add(SgRule.tcpIn(LoadBalancer.HTTP_PORT, Peer.ANY_IPV4, "HTTP from the internet"));
        alb.add(SgRule.tcpIn(LoadBalancer.HTTP_PORT, Peer.ANY_IPV6, "HTTP from the internet (IPv6)"));
        if (spec.loadBalancer().httpsEnabled()) {
            alb.add(SgRule.tcpIn(LoadBalancer.HTTPS_PORT, Peer.ANY_IPV4, "HTTPS from the internet"));
            alb.add(SgRule.tcpIn(LoadBalancer.HTTPS_PORT, Peer.ANY_IPV6, "HTTPS from the internet (IPv6)"));
        }
        alb.add(egress());
        all.put(ALB, List.copyOf(alb));

        List<SgRule> app = new ArrayList<>();
        app.add(SgRule.tcpIn(Role.APP.port(), Peer.group(groups.albGroupId()), "Tomcat from the load balancer"));
        app.add(SgRule.tcpIn(Role.APP.port(), admin, "Tomcat from the admin CIDR"));
        if (ssh) {
            app.add(SgRule.tcpIn(SSH_PORT, admin, "SSH from the admin CIDR"));
        }
        app.add(egress());
        all.put(APP, List.copyOf(app));

        List<SgRule> backend = new ArrayList<>();
        Peer appServers = Peer.group(groups.appGroupId());
        for (Role role : List.of(Role.DB, Role.MC, Role.RMQ)) {
            backend.add(SgRule.tcpIn(role.port(), appServers, role.service() + " from the app servers"));
        }
        backend.add(SgRule.allIn(Peer.group(groups.backendGroupId()), "backends talk to each other"));
        if (ssh) {
            backend.add(SgRule.tcpIn(SSH_PORT, admin, "SSH from the admin CIDR"));
        }
        backend.add(egress());
        all.put(BACKEND, List.copyOf(backend));
        return all;
    }

    private static SgRule egress() {
        return SgRule.allOut(Peer.ANY_IPV4, EGRESS_DESCRIPTION);
    }
}
