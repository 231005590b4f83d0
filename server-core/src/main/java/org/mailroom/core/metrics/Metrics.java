package org.mailroom.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The registry: metric families by name, each with one sample per label set, written in the
 * Prometheus text exposition format 0.0.4 by {@link #writeText}. Label sets are given as pairs,
 * {@code counter("mailroom_logins_total", "...", "service", "imap", "result", "ok")}.
 *
 * <p>Contract: {@link #counter} is get-or-create, so two modules asking for the same name and
 * labels share one count; asking for an existing name with another type or other label names
 * throws {@link IllegalArgumentException}, as do bad names (they would make the exposition
 * unreadable for every scraper). {@link #gauge} and {@link #counterOf} replace an earlier
 * supplier with the same labels (a listener bound again after a reload). Thread-safe.
 */
public final class Metrics {
    /** The {@code Content-Type} of {@link #writeText}'s output. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private enum Type { COUNTER, GAUGE }

    /** One family: HELP and TYPE once, then its samples in registration order. */
    private static final class Family {
        final String name;
        final String help;
        final Type type;
        final List<String> labelNames;
        final Map<List<String>, Object> samples = new LinkedHashMap<>(); // Counter or LongSupplier

        Family(String name, String help, Type type, List<String> labelNames) {
            this.name = name;
            this.help = help;
            this.type = type;
            this.labelNames = labelNames;
        }
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** The counter {@code name} with these labels, created at 0 when it is new. */
    public Counter counter(String name, String help, String... labels) {
        List<String> values = labelValues(labels);
        synchronized (families) {
            Family f = family(name, help, Type.COUNTER, labelNames(labels));
            Object s = f.samples.get(values);
            if (s instanceof Counter c) return c;
            if (s != null) throw new IllegalArgumentException(name + values + " is read from a function, not counted");
            Counter c = new Counter();
            f.samples.put(values, c);
            return c;
        }
    }

    /**
     * A counter whose value someone else keeps (e.g. a listener's accepted connections), read from
     * {@code value} when written. The supplier must never return less than before.
     */
    public void counterOf(String name, String help, LongSupplier value, String... labels) {
        register(name, help, Type.COUNTER, value, labels);
    }

    /** A value that goes up and down, read from {@code value} when written. */
    public void gauge(String name, String help, LongSupplier value, String... labels) {
        register(name, help, Type.GAUGE, value, labels);
    }

    private void register(String name, String help, Type type, LongSupplier value, String... labels) {
        List<String> values = labelValues(labels);
        synchronized (families) {
            Family f = family(name, help, type, labelNames(labels));
            if (f.samples.get(values) instanceof Counter) {
                throw new IllegalArgumentException(name + values + " is already counted here");
            }
            f.samples.put(values, value);
        }
    }

    /** The value of one sample, or -1 when there is none (for {@code mailroom status} and tests). */
    public long value(String name, String... labels) {
        List<String> values = labelValues(labels);
        Object s;
        synchronized (families) {
            Family f = families.get(name);
            s = f == null ? null : f.samples.get(values);
        }
        if (s instanceof Counter c) return c.value();
        if (s instanceof LongSupplier g) return g.getAsLong();
        return -1;
    }

    private Family family(String name, String help, Type type, List<String> labelNames) {
        if (!METRIC_NAME.matcher(name).matches()) throw new IllegalArgumentException("bad metric name \"" + name + "\"");
        Family f = families.get(name);
        if (f == null) {
            f = new Family(name, help, type, labelNames);
            families.put(name, f);
        } else if (f.type != type || !f.labelNames.equals(labelNames)) {
            throw new IllegalArgumentException(name + " is a " + f.type + " with labels " + f.labelNames
                    + ", not a " + type + " with " + labelNames);
        }
        return f;
    }

    private static List<String> labelNames(String[] pairs) {
        if (pairs.length % 2 != 0) throw new IllegalArgumentException("labels come in name, value pairs");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            String n = pairs[i];
            // the text format reserves names starting with __ for Prometheus itself
            if (!LABEL_NAME.matcher(n).matches() || n.startsWith("__")) {
                throw new IllegalArgumentException("bad label name \"" + n + "\"");
            }
            if (names.contains(n)) throw new IllegalArgumentException("label " + n + " given twice");
            names.add(n);
        }
        return List.copyOf(names);
    }

    private static List<String> labelValues(String[] pairs) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i < pairs.length; i += 2) values.add(java.util.Objects.requireNonNull(pairs[i], "label value"));
        return List.copyOf(values);
    }

    /**
     * Every family in registration order:
     * <pre>
     * # HELP mailroom_logins_total Logins checked, by service and result.
     * # TYPE mailroom_logins_total counter
     * mailroom_logins_total{service="imap",result="ok"} 3
     * </pre>
     * Reads every gauge: blocking if a gauge is (see the package documentation). A gauge that
     * throws is left out, with the others still written.
     */
    public String writeText() {
        List<Family> fs;
        List<List<Map.Entry<List<String>, Object>>> samples = new ArrayList<>();
        synchronized (families) {
            fs = new ArrayList<>(families.values());
            for (Family f : fs) samples.add(new ArrayList<>(f.samples.entrySet()));
        }
        StringBuilder out = new StringBuilder(4096);
        for (int i = 0; i < fs.size(); i++) {
            Family f = fs.get(i);
            out.append("# HELP ").append(f.name).append(' ').append(escapeHelp(f.help)).append('\n');
            out.append("# TYPE ").append(f.name).append(' ').append(f.type == Type.COUNTER ? "counter" : "gauge").append('\n');
            for (Map.Entry<List<String>, Object> s : samples.get(i)) {
                long v;
                try {
                    v = s.getValue() instanceof Counter c ? c.value() : ((LongSupplier) s.getValue()).getAsLong();
                } catch (RuntimeException e) {
                    continue; // XXX one broken gauge must not hide the rest; it is simply absent
                }
                out.append(f.name);
                List<String> values = s.getKey();
                if (!values.isEmpty()) {
                    out.append('{');
                    for (int k = 0; k < values.size(); k++) {
                        if (k > 0) out.append(',');
                        out.append(f.labelNames.get(k)).append("=\"").append(escapeLabel(values.get(k))).append('"');
                    }
                    out.append('}');
                }
                out.append(' ').append(v).append('\n');
            }
        }
        return out.toString();
    }

    /** Format 0.0.4: in HELP, backslash and line feed are escaped. */
    static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Format 0.0.4: in label values, backslash, double quote and line feed are escaped. */
    static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
