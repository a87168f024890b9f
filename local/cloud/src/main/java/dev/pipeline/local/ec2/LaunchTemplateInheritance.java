package dev.pipeline.local.ec2;

import dev.pipeline.local.gateway.AwsErrors;
import dev.pipeline.local.gateway.AwsRequest;
import dev.pipeline.local.gateway.CallerScope;
import dev.pipeline.local.gateway.GatewayResponse;
import dev.pipeline.local.gateway.Interceptor;
import dev.pipeline.local.gateway.MotoForwarder;
import dev.pipeline.local.gateway.Protocol;
import org.w3c.dom.Document;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * CreateLaunchTemplateVersion with a SourceVersion, as AWS does it: the new version inherits every launch
 * parameter of the source that the request does not specify, and a SourceVersion that does not exist is an
 * error. moto stores only the parameters passed and accepts any SourceVersion. Keyed by account, region,
 * launch template id and version number.
 *
 * <p>Where the source's data comes from: the gateway keeps the LaunchTemplateData query parameters of every
 * version it saw created (CreateLaunchTemplate, and CreateLaunchTemplateVersion after merging), rather than
 * reading them back with DescribeLaunchTemplateVersions. Launch template versions are immutable, so the record
 * never goes stale; every EC2 call comes through the gateway; and a request built from it is exactly the one
 * AWS would have applied. Reading back would mean translating moto's response shape (securityGroupIdSet,
 * blockDeviceMappingSet/item...) into request parameters member by member, and would carry over moto's own
 * mistakes: it copies the template's tags into the data's TagSpecifications, which AWS does not, and a new
 * version would then inherit them. moto is still asked to resolve SourceVersion ($Latest, $Default, a number)
 * and to say whether it exists, so the answer to "which version" is always moto's.
 */
public final class LaunchTemplateInheritance implements Interceptor {
    private static final Pattern SOURCE_VERSION = Pattern.compile("\\$Latest|\\$Default|[1-9][0-9]{0,18}");

    private record VersionKey(CallerScope scope, String templateId, long version) {}

    private final Map<VersionKey, LaunchTemplateData> versions = new ConcurrentHashMap<>();
    private final CallerScope.Resolver scopes = new CallerScope.Resolver();

    @Override
    public GatewayResponse intercept(AwsRequest request, MotoForwarder moto) throws Exception {
        if (request.protocol() != Protocol.EC2) return null;
        return switch (request.operation()) {
            case "CreateLaunchTemplate" -> createTemplate(request, moto);
            case "CreateLaunchTemplateVersion" -> createVersion(request, moto);
            case "DeleteLaunchTemplate" -> deleteTemplate(request, moto);
            default -> null;
        };
    }

    private GatewayResponse createTemplate(AwsRequest request, MotoForwarder moto) throws Exception {
        GatewayResponse r = moto.forward(request);
        if (r.ok()) {
            String id = Ec2Xml.text(Ec2Xml.parse(r.body()), "launchTemplateId");
            versions.put(new VersionKey(scopes.of(request, moto), id, 1), LaunchTemplateData.fromForm(request.formParams()));
        }
        return r;
    }

    private GatewayResponse createVersion(AwsRequest request, MotoForwarder moto) throws Exception {
        Map<String, String> form = request.formParams();
        LaunchTemplateData specified = LaunchTemplateData.fromForm(form);
        String source = form.get("SourceVersion");
        if (source == null) return forwardAndRecord(request, specified, moto);

        // moto's own lookup turns "0" and "-1" into the latest version (a Python negative index) and a word into
        // a 500, so only the values the API reference lists for a version go to moto: $Latest, $Default, a number.
        if (!SOURCE_VERSION.matcher(source).matches()) {
            return versionNotFound(request, source);
        }
        Map<String, String> describe = new LinkedHashMap<>();
        copy(form, describe, "LaunchTemplateId");
        copy(form, describe, "LaunchTemplateName");
        describe.put("LaunchTemplateVersion.1", source);
        GatewayResponse found = moto.forward(Ec2Xml.call(request, "DescribeLaunchTemplateVersions", describe));
        if (!found.ok()) return found; // no such template or version: moto's not-found error, as for any other call
        Document doc = Ec2Xml.parse(found.body());
        String templateId = Ec2Xml.text(doc, "launchTemplateId");
        String number = Ec2Xml.text(doc, "versionNumber");
        if (templateId == null || number == null) return versionNotFound(request, source);

        CallerScope scope = scopes.of(request, moto);
        LaunchTemplateData sourceData = versions.get(new VersionKey(scope, templateId, Long.parseLong(number)));
        if (sourceData == null) {
            // Only a version made around the gateway (straight at moto) gets here. Failing loudly beats
            // creating a version that silently lacks what AWS would have inherited.
            return AwsErrors.error(request, 500, "InternalFailure", "local cloud: the gateway has no record of the data of "
                    + templateId + " version " + number + " (was it created straight against moto?), so it cannot inherit from it as AWS would");
        }
        LaunchTemplateData merged = sourceData.inheritedBy(specified);
        Map<String, String> complete = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (!k.startsWith(LaunchTemplateData.PREFIX)) complete.put(k, v);
        });
        merged.writeTo(complete);
        return forwardAndRecord(Ec2Xml.withParams(request, complete), merged, moto);
    }

    private GatewayResponse forwardAndRecord(AwsRequest request, LaunchTemplateData data, MotoForwarder moto) throws Exception {
        GatewayResponse r = moto.forward(request);
        if (r.ok()) {
            Document doc = Ec2Xml.parse(r.body());
            versions.put(new VersionKey(scopes.of(request, moto), Ec2Xml.text(doc, "launchTemplateId"),
                    Long.parseLong(Ec2Xml.text(doc, "versionNumber"))), data);
        }
        return r;
    }

    private GatewayResponse deleteTemplate(AwsRequest request, MotoForwarder moto) throws Exception {
        GatewayResponse r = moto.forward(request);
        if (r.ok()) {
            String id = Ec2Xml.text(Ec2Xml.parse(r.body()), "launchTemplateId");
            CallerScope scope = scopes.of(request, moto);
            versions.keySet().removeIf(k -> k.scope().equals(scope) && k.templateId().equals(id));
        }
        return r;
    }

    /**
     * The code moto gives for a missing version in DescribeLaunchTemplateVersions. The code AWS returns for a
     * bad SourceVersion could not be confirmed from its documentation.
     */
    private static GatewayResponse versionNotFound(AwsRequest request, String source) {
        return AwsErrors.error(request, 400, "InvalidLaunchTemplateId.VersionNotFound",
                "The specified launch template version " + source + " does not exist.");
    }

    private static void copy(Map<String, String> from, Map<String, String> to, String key) {
        if (from.containsKey(key)) to.put(key, from.get(key));
    }

    @Override
    public void reset() {
        versions.clear();
        scopes.clear();
    }
}
