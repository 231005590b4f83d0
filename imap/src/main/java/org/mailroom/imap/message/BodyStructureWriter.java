package org.mailroom.imap.message;

import java.util.List;

/**
 * {@code body} of RFC 9051 9 (RFC 3501 9): BODY without and BODYSTRUCTURE with extension data,
 * written the way Dovecot writes it so clients that cache structures see the same values:
 * case of types, subtypes and parameters as sent; encoding {@code "7bit"} when absent;
 * {@code ("charset" "us-ascii")} for text/* without parameters (RFC 2045 5.2); a multipart without
 * any part as one empty text/plain part (the grammar needs {@code 1*body}); extension data always
 * complete ({@code NIL} for what is absent).
 */
final class BodyStructureWriter {

    private static final String DEFAULT_PARAMS = "(\"charset\" \"us-ascii\")";
    private static final String EMPTY_BODY = "(\"text\" \"plain\" " + DEFAULT_PARAMS + " NIL NIL \"7bit\" 0 0";

    private BodyStructureWriter() {}

    static void write(ImapOut out, MessagePart p, boolean ext) {
        if (p.kind == MessagePart.Kind.MULTIPART) {
            out.c('(');
            if (p.children.isEmpty()) {
                empty(out, ext);
            }
            for (MessagePart c : p.children) {
                write(out, c, ext);
            }
            out.c(' ').string(p.subtype);
            if (ext) {
                out.c(' ');
                params(out, p.params, false);
                out.c(' ');
                tail(out, p);
            }
            out.c(')');
            return;
        }
        boolean message = p.kind == MessagePart.Kind.MESSAGE;
        out.c('(');
        if (p.opaque) {
            // XXX not parsed because of a limit: announced as opaque data, so that no client
            // expects children or an envelope (Dovecot does the same)
            out.string("application").c(' ').string("octet-stream");
        } else {
            out.string(p.type).c(' ').string(p.subtype);
        }
        out.c(' ');
        params(out, p.params, p.isText() && !p.opaque);
        out.c(' ').nolf(p.id).c(' ').nolf(p.description).c(' ')
                .string(p.encoding == null ? "7bit" : p.encoding).c(' ').number(p.bodySize());
        if (message) {
            out.c(' ');
            if (p.message != null) {
                p.message.envelope.write(out);
                out.c(' ');
                write(out, p.message, ext);
            } else {
                // encapsulated message not parsed (encoded body): empty envelope and body
                out.ascii("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ");
                empty(out, ext);
            }
            out.c(' ').number(p.lines);
        } else if (p.isText() && !p.opaque) {
            out.c(' ').number(p.lines);
        }
        if (ext) {
            out.c(' ').nolf(p.md5).c(' ');
            tail(out, p);
        }
        out.c(')');
    }

    private static void empty(ImapOut out, boolean ext) {
        out.ascii(EMPTY_BODY);
        if (ext) {
            out.ascii(" NIL NIL NIL NIL");
        }
        out.c(')');
    }

    /** {@code body-fld-dsp SP body-fld-lang SP body-fld-loc}. */
    private static void tail(ImapOut out, MessagePart p) {
        if (p.disposition == null) {
            out.nil();
        } else {
            out.c('(').string(p.disposition).c(' ');
            params(out, p.dispositionParams, false);
            out.c(')');
        }
        out.c(' ');
        List<String> lang = p.languages;
        if (lang.isEmpty()) {
            out.nil();
        } else {
            out.c('(');
            for (int i = 0; i < lang.size(); i++) {
                if (i > 0) {
                    out.c(' ');
                }
                out.string(lang.get(i));
            }
            out.c(')');
        }
        out.c(' ').nolf(p.location);
    }

    /** {@code defaultCharset}: a text part; without a charset it gets us-ascii last, like Dovecot. */
    private static void params(ImapOut out, List<MessagePart.Param> params, boolean defaultCharset) {
        if (params.isEmpty()) {
            if (defaultCharset) {
                out.ascii(DEFAULT_PARAMS);
            } else {
                out.nil();
            }
            return;
        }
        out.c('(');
        boolean charset = false;
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) {
                out.c(' ');
            }
            charset |= params.get(i).name().equalsIgnoreCase("charset");
            out.string(params.get(i).name()).c(' ').string(params.get(i).value());
        }
        if (defaultCharset && !charset) {
            // RFC 2045 5.2: us-ascii is the default charset of text
            out.ascii(" \"charset\" \"us-ascii\"");
        }
        out.c(')');
    }
}
