package org.mailroom.daemon.http;

/**
 * Builds the small, indented XML documents of autoconfig and autodiscover. Text and attribute
 * values are escaped here (XML 1.0 2.4, 3.3.3); characters that XML 1.0 does not allow at all
 * (C0 controls but tab, CR, LF; U+FFFE/FFFF; lone surrogates) become {@code ?}, so whatever a client
 * sent us, the answer is well-formed.
 */
final class Xml {
    private final StringBuilder out = new StringBuilder(2048);
    private int depth;

    Xml() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    /** {@code <name a="v" ...>}; attributes as name, value pairs. */
    Xml open(String name, String... attributes) {
        indent().append('<').append(name);
        for (int i = 0; i < attributes.length; i += 2) {
            out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
        }
        out.append(">\n");
        depth++;
        return this;
    }

    Xml close(String name) {
        depth--;
        indent().append("</").append(name).append(">\n");
        return this;
    }

    /** {@code <name>text</name>}, or {@code <name/>} for null text. */
    Xml element(String name, String text) {
        indent().append('<').append(name);
        if (text == null) out.append("/>\n");
        else out.append('>').append(escape(text)).append("</").append(name).append(">\n");
        return this;
    }

    private StringBuilder indent() {
        for (int i = 0; i < depth; i++) out.append("  ");
        return out;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || Character.isSurrogate(c)
                            || c == 0xFFFE || c == 0xFFFF) {
                        b.append('?'); // XML 1.0 2.2: not a Char, not even as a reference
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
