package org.mailroom.delivery.remote;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mailroom.smtp.wire.Reply;

/**
 * The EHLO keywords of a server (RFC 5321 4.1.1.1: {@code ehlo-line = keyword *(SP param)}), after
 * the first line, which is the server's name. A HELO session has none.
 */
public record Capabilities(Map<String, String> keywords) {

    public static final Capabilities NONE = new Capabilities(Map.of());

    public Capabilities {
        keywords = Map.copyOf(keywords);
    }

    static Capabilities parse(Reply ehlo) {
        Map<String, String> m = new HashMap<>();
        List<String> lines = ehlo.lines();
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.isEmpty()) continue;
            int sp = l.indexOf(' ');
            String key = (sp < 0 ? l : l.substring(0, sp)).toUpperCase(Locale.ROOT);
            String params = sp < 0 ? "" : l.substring(sp + 1).trim();
            // XXX "AUTH=PLAIN LOGIN" is the pre-RFC 4954 form some servers still send; merged into AUTH
            if (key.startsWith("AUTH=")) {
                params = (key.substring(5) + " " + params).trim();
                key = "AUTH";
                if (m.containsKey(key)) params = m.get(key) + " " + params;
            }
            m.merge(key, params, (a, b) -> (a + " " + b).trim());
        }
        return new Capabilities(m);
    }

    public boolean has(String keyword) { return keywords.containsKey(keyword.toUpperCase(Locale.ROOT)); }

    /** RFC 1870 4: the fixed maximum size, 0 when none is announced or unlimited. */
    public long maxSize() {
        String p = keywords.get("SIZE");
        if (p == null || p.isEmpty()) return 0;
        try {
            return Long.parseLong(p.split(" ")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** RFC 4954 3: the SASL mechanisms after AUTH, upper case. */
    public List<String> authMechanisms() {
        String p = keywords.get("AUTH");
        if (p == null || p.isBlank()) return List.of();
        return List.of(p.toUpperCase(Locale.ROOT).trim().split("\\s+"));
    }
}
