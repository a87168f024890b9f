package dev.pipeline.local.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the AWS service and operation of a raw request: the service from the SigV4 credential scope,
 * the operation from the protocol (Action=, X-Amz-Target, or the REST path).
 */
public final class RequestClassifier {
    private static final Pattern CREDENTIAL_SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/aws4_request");
    private static final Pattern QUERY_CREDENTIAL = Pattern.compile("(?:^|&)X-Amz-Credential=[^&]*?(?:%2F|/)\\d{8}(?:%2F|/)[^&%/]+(?:%2F|/)([^&%/]+)(?:%2F|/)aws4_request");
    private static final Pattern LAMBDA_INVOKE = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations/?$");
    private static final Set<String> S3_SUBRESOURCES = Set.of(
            "acl", "cors", "delete", "encryption", "lifecycle", "location", "logging", "notification",
            "object-lock", "ownershipControls", "policy", "publicAccessBlock", "replication", "tagging",
            "uploads", "uploadId", "versioning", "versions", "website", "retention", "legal-hold", "attributes");

    private RequestClassifier() {}

    public static AwsRequest classify(String method, String path, String rawQuery,
                                      Map<String, List<String>> headers, byte[] body) {
        AwsRequest bare = new AwsRequest(method, path, rawQuery, headers, body, "", "", Protocol.NONE);
        if (path.startsWith("/_local/") || path.startsWith("/moto-api")) {
            return new AwsRequest(method, path, rawQuery, headers, body, "local", path, Protocol.NONE);
        }
        String service = service(bare);
        String target = bare.header("X-Amz-Target");
        if (target != null) {
            int dot = target.lastIndexOf('.');
            return new AwsRequest(method, path, rawQuery, headers, body, service,
                    dot < 0 ? target : target.substring(dot + 1), Protocol.JSON);
        }
        String action = "POST".equals(method) || "GET".equals(method) ? bare.formParams().get("Action") : null;
        if (action != null) {
            return new AwsRequest(method, path, rawQuery, headers, body, service, action,
                    "ec2".equals(service) ? Protocol.EC2 : Protocol.QUERY);
        }
        Matcher invoke = LAMBDA_INVOKE.matcher(path);
        if (invoke.matches() || path.startsWith("/2015-03-31/")) {
            return new AwsRequest(method, path, rawQuery, headers, body, "lambda",
                    invoke.matches() ? "Invoke" : method + " " + path, Protocol.REST_JSON);
        }
        if ("route53".equals(service) || path.startsWith("/2013-04-01/")) {
            return new AwsRequest(method, path, rawQuery, headers, body, "route53", route53Operation(method, path), Protocol.REST_XML);
        }
        if ("s3".equals(service) || service.isEmpty()) {
            return new AwsRequest(method, path, rawQuery, headers, body, "s3", s3Operation(bare), Protocol.REST_XML);
        }
        return new AwsRequest(method, path, rawQuery, headers, body, service, method + " " + path, Protocol.REST_JSON);
    }

    /** The function name of a Lambda Invoke path (name, partial or full ARN, qualifier stripped), or null. */
    /** The function identifier of an Invoke path as the caller gave it (name, partial or full ARN, maybe qualified), or null. */
    public static String lambdaFunctionId(String path) {
        Matcher m = LAMBDA_INVOKE.matcher(path);
        return m.matches() ? java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8) : null;
    }

    public static String lambdaFunctionName(String path) {
        String id = lambdaFunctionId(path);
        if (id == null) return null;
        // arn:aws:lambda:region:account:function:name[:qualifier] | account:function:name | name[:qualifier]
        String[] parts = id.split(":");
        if (id.startsWith("arn:")) return parts.length > 6 ? parts[6] : id;
        if (parts.length >= 3 && "function".equals(parts[1])) return parts[2];
        return parts[0];
    }

    static String service(AwsRequest r) {
        String auth = r.header("Authorization");
        if (auth != null) {
            Matcher m = CREDENTIAL_SCOPE.matcher(auth);
            if (m.find()) return m.group(1);
        }
        if (r.rawQuery() != null) {
            Matcher m = QUERY_CREDENTIAL.matcher(r.rawQuery());
            if (m.find()) return m.group(1);
        }
        return "";
    }

    static String route53Operation(String method, String path) {
        String p = path.replaceFirst("^/2013-04-01", "");
        if (p.matches("/hostedzone/?")) return "GET".equals(method) ? "ListHostedZones" : "CreateHostedZone";
        if (p.matches("/hostedzone/[^/]+/rrset/?")) return "GET".equals(method) ? "ListResourceRecordSets" : "ChangeResourceRecordSets";
        if (p.matches("/hostedzone/[^/]+/associatevpc/?")) return "AssociateVPCWithHostedZone";
        if (p.matches("/hostedzone/[^/]+/disassociatevpc/?")) return "DisassociateVPCFromHostedZone";
        if (p.matches("/hostedzone/[^/]+/?")) return switch (method) {
            case "DELETE" -> "DeleteHostedZone";
            case "POST" -> "UpdateHostedZoneComment";
            default -> "GetHostedZone";
        };
        if (p.startsWith("/hostedzonesbyvpc")) return "ListHostedZonesByVPC";
        if (p.startsWith("/hostedzonesbyname")) return "ListHostedZonesByName";
        if (p.startsWith("/change/")) return "GetChange";
        if (p.startsWith("/tags/")) return "GET".equals(method) ? "ListTagsForResource" : "ChangeTagsForResource";
        return method + " " + path;
    }

    static String s3Operation(AwsRequest r) {
        String method = r.method();
        String host = r.header("Host") == null ? "" : r.header("Host").toLowerCase(Locale.ROOT);
        // virtual-hosted style: bucket.localhost:4566/key
        boolean virtualHost = host.contains(".localhost") || host.matches("^[^.]+\\.s3[.-].*");
        String p = r.path();
        String[] segs = p.replaceFirst("^/", "").split("/", 2);
        boolean hasBucket = virtualHost || (!segs[0].isEmpty());
        boolean hasKey = virtualHost ? !p.equals("/") && !p.isEmpty() : segs.length > 1 && !segs[1].isEmpty();
        Map<String, String> q = r.queryParams();
        String sub = q.keySet().stream().filter(S3_SUBRESOURCES::contains).findFirst().orElse(null);
        if (!hasBucket) return "ListBuckets";
        if (!hasKey) {
            if (sub != null) {
                String noun = capitalize(sub);
                if ("delete".equals(sub)) return "DeleteObjects";
                if ("versions".equals(sub)) return "ListObjectVersions";
                if ("uploads".equals(sub)) return "ListMultipartUploads";
                if ("location".equals(sub)) return "GetBucketLocation";
                if ("notification".equals(sub)) noun = "NotificationConfiguration";
                return switch (method) {
                    case "PUT" -> "PutBucket" + noun;
                    case "DELETE" -> "DeleteBucket" + noun;
                    default -> "GetBucket" + noun;
                };
            }
            return switch (method) {
                case "PUT" -> "CreateBucket";
                case "DELETE" -> "DeleteBucket";
                case "HEAD" -> "HeadBucket";
                default -> "2".equals(q.get("list-type")) ? "ListObjectsV2" : "ListObjects";
            };
        }
        if ("uploads".equals(sub)) return "CreateMultipartUpload";
        if (q.containsKey("uploadId")) return switch (method) {
            case "PUT" -> r.header("x-amz-copy-source") != null ? "UploadPartCopy" : "UploadPart";
            case "POST" -> "CompleteMultipartUpload";
            case "DELETE" -> "AbortMultipartUpload";
            default -> "ListParts";
        };
        if (sub != null) {
            String noun = "Object" + capitalize(sub);
            return switch (method) {
                case "PUT" -> "Put" + noun;
                case "DELETE" -> "Delete" + noun;
                default -> "Get" + noun;
            };
        }
        return switch (method) {
            case "PUT" -> r.header("x-amz-copy-source") != null ? "CopyObject" : "PutObject";
            case "DELETE" -> "DeleteObject";
            case "HEAD" -> "HeadObject";
            case "POST" -> "PostObject";
            default -> "GetObject";
        };
    }

    private static String capitalize(String s) {
        StringBuilder sb = new StringBuilder();
        for (String part : s.split("-")) {
            if (!part.isEmpty()) sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }
}
