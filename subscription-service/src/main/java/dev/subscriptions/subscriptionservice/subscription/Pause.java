package dev.subscriptions.subscriptionservice.subscription;

import java.time.Instant;

import org.springframework.data.relational.core.mapping.Column;

/**
 * A subscription's pause: since when, and what it does to access. Embedded in the
 * subscription's row; none while it is not paused.
 */
public record Pause(@Column("paused_at") Instant at, @Column("pause_mode") PauseMode mode) {
}
