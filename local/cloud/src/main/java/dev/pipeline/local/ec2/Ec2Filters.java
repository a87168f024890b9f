package dev.pipeline.local.ec2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Filter.N.Name} / {@code Filter.N.Value.M} parameters of an EC2 Describe call, in order. Immutable;
 * rewritten filters are numbered from 1 without gaps, because moto stops reading at the first missing N.
 */
record Ec2Filters(List<Filter> filters) {
    private static final Pattern NAME = Pattern.compile("Filter\\.(\\d+)\\.Name");
    private static final Pattern VALUE = Pattern.compile("Filter\\.(\\d+)\\.Value\\.(\\d+)");

    record Filter(String name, List<String> values) {
        Filter {
            values = List.copyOf(values);
        }
    }

    Ec2Filters {
        filters = List.copyOf(filters);
    }

    static Ec2Filters from(Map<String, String> form) {
        Map<Integer, String> names = new TreeMap<>();
        Map<Integer, Map<Integer, String>> values = new TreeMap<>();
        form.forEach((k, v) -> {
            Matcher n = NAME.matcher(k);
            Matcher val = VALUE.matcher(k);
            if (n.matches()) names.put(Integer.parseInt(n.group(1)), v);
            else if (val.matches()) values.computeIfAbsent(Integer.parseInt(val.group(1)), i -> new TreeMap<>())
                    .put(Integer.parseInt(val.group(2)), v);
        });
        List<Filter> out = new ArrayList<>();
        names.forEach((i, name) -> out.add(new Filter(name, new ArrayList<>(values.getOrDefault(i, Map.of()).values()))));
        return new Ec2Filters(out);
    }

    /** The values of every filter named {@code name}, one list per filter. */
    List<List<String>> valuesOf(String name) {
        return filters.stream().filter(f -> f.name().equals(name)).map(Filter::values).toList();
    }

    Ec2Filters without(String name) {
        return new Ec2Filters(filters.stream().filter(f -> !f.name().equals(name)).toList());
    }

    Ec2Filters with(String name, List<String> values) {
        List<Filter> out = new ArrayList<>(filters);
        out.add(new Filter(name, values));
        return new Ec2Filters(out);
    }

    /** {@code form} with its Filter.* parameters replaced by these filters. */
    Map<String, String> writeOver(Map<String, String> form) {
        Map<String, String> out = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (!k.startsWith("Filter.")) out.put(k, v);
        });
        for (int i = 0; i < filters.size(); i++) {
            Filter f = filters.get(i);
            out.put("Filter." + (i + 1) + ".Name", f.name());
            for (int j = 0; j < f.values().size(); j++) out.put("Filter." + (i + 1) + ".Value." + (j + 1), f.values().get(j));
        }
        return out;
    }

    /** EC2 filter matching: exact, or with {@code *} (any run) and {@code ?} (one character) wildcards. */
    static boolean matchesAny(List<String> patterns, String value) {
        for (String p : patterns) {
            StringBuilder re = new StringBuilder();
            for (char c : p.toCharArray()) {
                re.append(switch (c) {
                    case '*' -> ".*";
                    case '?' -> ".";
                    default -> Pattern.quote(String.valueOf(c));
                });
            }
            if (value.matches(re.toString())) return true;
        }
        return false;
    }
}
