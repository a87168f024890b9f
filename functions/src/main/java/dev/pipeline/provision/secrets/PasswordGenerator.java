package dev.pipeline.provision.secrets;

import java.security.SecureRandom;

/**
 * Generates credentials: 32 characters from {@code A-Z a-z 0-9} (about 190 bits), with at least one capital,
 * one small letter and one digit. Letters and digits only, because the value is used unquoted or in quotes in
 * shell (no {@code $ ` " ' \ !}), in SQL ({@code CREATE USER ... IDENTIFIED BY '...'}: no quotes or backslashes),
 * in MariaDB's option files, in RabbitMQ's {@code rabbitmqctl} and in AMQP URIs ({@code amqp://user:pass@host},
 * where {@code : @ / % ?} would need escaping). No leading-dash problem either ({@code -x} read as an option).
 * Note: MariaDB's optional simple_password_check plugin (off by default) also wants a special character.
 */
public final class PasswordGenerator {
    public static final int LENGTH = 32;
    static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    static final String DIGITS = "0123456789";
    static final String ALPHABET = UPPER + LOWER + DIGITS;

    private final SecureRandom random;

    public PasswordGenerator() {
        this(new SecureRandom());
    }

    PasswordGenerator(SecureRandom random) {
        this.random = random;
    }

    /** A fresh password. Rejection sampling keeps every accepted password equally likely. */
    public String next() {
        while (true) {
            char[] c = new char[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                c[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            }
            String candidate = new String(c);
            if (has(candidate, UPPER) && has(candidate, LOWER) && has(candidate, DIGITS)) {
                return candidate;
            }
        }
    }

    private static boolean has(String s, String chars) {
        return s.chars().anyMatch(ch -> chars.indexOf(ch) >= 0);
    }
}
