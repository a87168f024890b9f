package dev.pipeline.provision.notify;

/** The published message's id and subject. */
public record NotifyOutput(String messageId, String subject) {}
