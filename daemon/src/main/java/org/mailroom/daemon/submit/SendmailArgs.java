package org.mailroom.daemon.submit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The sendmail command line, as mailx, mutt, cron and scripts use it (getopt style: flags may be
 * combined, {@code -fADDR} or {@code -f ADDR}, options and recipients may be mixed, {@code --}
 * ends the options). Accepted and ignored, as other sendmails do: {@code -bm -m -v -oem -oep -odb
 * -odi -odq -om -oee -oeq -oew}. Anything else is a usage error.
 *
 * @param extractRecipients {@code -t}
 * @param ignoreDots        {@code -i} / {@code -oi}: a line with a single "." does not end the message
 * @param sender            {@code -f} / {@code -r}, or null
 * @param fullName          {@code -F}, or null
 * @param smtp              {@code -bs}: SMTP on standard input and output
 * @param configDir         {@code --config DIR}, or null
 * @param recipients        the arguments that are not options
 */
public record SendmailArgs(boolean extractRecipients, boolean ignoreDots, String sender, String fullName,
                           boolean smtp, String configDir, List<String> recipients) {

    private static final Set<String> IGNORED_O = Set.of("em", "ep", "ee", "eq", "ew", "db", "di", "dq", "m");

    public static final String USAGE = "usage: sendmail [-t] [-i] [-oi] [-f sender] [-F full-name] [-bs] "
            + "[--config DIR] [recipient ...]  (message on standard input)";

    /** A command line sendmail does not understand. */
    public static final class Usage extends Exception {
        public Usage(String message) {
            super(message);
        }
    }

    public static SendmailArgs parse(String[] argv) throws Usage {
        boolean t = false, i = false, bs = false;
        String sender = null, fullName = null, config = null;
        List<String> rcpts = new ArrayList<>();
        for (int k = 0; k < argv.length; k++) {
            String a = argv[k];
            if (a.equals("--")) {
                for (k++; k < argv.length; k++) rcpts.add(argv[k]);
                break;
            }
            if (a.equals("--config") || a.startsWith("--config=")) {
                if (a.length() > 8) config = a.substring(9);
                else if (++k < argv.length) config = argv[k];
                else throw new Usage("--config needs a directory");
                if (config.isEmpty()) throw new Usage("--config needs a directory");
                continue;
            }
            if (a.startsWith("--")) throw new Usage("unknown option " + a);
            if (!a.startsWith("-") || a.equals("-")) {
                rcpts.add(a);
                continue;
            }
            for (int p = 1; p < a.length(); p++) {
                char c = a.charAt(p);
                switch (c) {
                    case 't' -> t = true;
                    case 'i' -> i = true;
                    case 'v', 'm' -> { }
                    case 'f', 'r', 'F' -> {
                        String v;
                        if (p + 1 < a.length()) v = a.substring(p + 1);
                        else if (k + 1 < argv.length) v = argv[++k];
                        else throw new Usage("-" + c + " needs a value");
                        if (c == 'F') fullName = v;
                        else sender = v;
                        p = a.length();
                    }
                    case 'o' -> {
                        String o = a.substring(p + 1);
                        if (o.equals("i")) i = true;
                        else if (!IGNORED_O.contains(o)) throw new Usage("unknown option -o" + o);
                        p = a.length();
                    }
                    case 'b' -> {
                        String b = a.substring(p + 1);
                        if (b.equals("s")) bs = true;
                        else if (!b.equals("m")) throw new Usage("unknown mode -b" + b + " (only -bm and -bs)");
                        p = a.length();
                    }
                    default -> throw new Usage("unknown option -" + c);
                }
            }
        }
        if (sender != null) {
            String s = sender.strip();
            if (s.startsWith("<") && s.endsWith(">")) s = s.substring(1, s.length() - 1);
            sender = s;
        }
        if (bs && (t || !rcpts.isEmpty())) throw new Usage("-bs takes no recipients and no -t");
        return new SendmailArgs(t, i, sender, fullName, bs, config, List.copyOf(rcpts));
    }
}
