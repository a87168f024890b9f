package dev.pipeline.local.elb;

import java.util.ArrayList;
import java.util.List;

/**
 * A target group's Matcher.HttpCode: "200", "200,202" or "200-299" (the ELBv2 API reference's three forms).
 * AWS's default for HTTP target groups is 200. Immutable.
 */
record SuccessCodes(List<int[]> ranges, String text) {

    static SuccessCodes parse(String httpCode) {
        String text = httpCode == null || httpCode.isBlank() ? "200" : httpCode.trim();
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                if (dash > 0) ranges.add(new int[]{Integer.parseInt(p.substring(0, dash).trim()), Integer.parseInt(p.substring(dash + 1).trim())});
                else ranges.add(new int[]{Integer.parseInt(p), Integer.parseInt(p)});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a health check success code: " + p + " (in \"" + text + "\")");
            }
        }
        return new SuccessCodes(List.copyOf(ranges), text);
    }

    boolean matches(int status) {
        for (int[] r : ranges) if (status >= r[0] && status <= r[1]) return true;
        return false;
    }
}
