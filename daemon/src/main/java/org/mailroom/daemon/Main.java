package org.mailroom.daemon;

/** Entry point of {@code bin/mailroom}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(new Cli(System.in, System.out, System.err).run(args));
    }
}
