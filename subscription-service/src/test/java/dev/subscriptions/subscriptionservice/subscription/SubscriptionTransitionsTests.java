package dev.subscriptions.subscriptionservice.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (status, action) pair: what the subscription becomes, or that it is refused.
 */
class SubscriptionTransitionsTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

	enum Action {

		CANCEL_AT_PERIOD_END((s, c) -> s.cancel(false, null, c)), CANCEL_IMMEDIATELY((s, c) -> s.cancel(true, null, c)),
		UNCANCEL(Subscription::uncancel), PAUSE((s, c) -> s.pause(PauseMode.VOID, c)), RESUME(Subscription::resume),
		PAYMENT_FAILED((s, c) -> s.markPastDue(Invoice.open(s, c), c)), PAYMENT_SUCCEEDED(Subscription::activate),
		REVOKE((s, c) -> s.revoke(EndReason.REVOKED, c));

		final BiConsumer<Subscription, Clock> apply;

		Action(BiConsumer<Subscription, Clock> apply) {
			this.apply = apply;
		}

	}

	/** null = refused; otherwise the status after the action. */
	private static final Map<SubscriptionStatus, Map<Action, SubscriptionStatus>> MATRIX = new EnumMap<>(
			SubscriptionStatus.class);

	static {
		row(SubscriptionStatus.TRIALING, SubscriptionStatus.TRIALING, SubscriptionStatus.CANCELED, null,
				SubscriptionStatus.PAUSED, null, SubscriptionStatus.PAST_DUE, SubscriptionStatus.ACTIVE,
				SubscriptionStatus.REVOKED);
		row(SubscriptionStatus.ACTIVE, SubscriptionStatus.ACTIVE, SubscriptionStatus.CANCELED, null,
				SubscriptionStatus.PAUSED, null, SubscriptionStatus.PAST_DUE, SubscriptionStatus.ACTIVE,
				SubscriptionStatus.REVOKED);
		row(SubscriptionStatus.PAST_DUE, SubscriptionStatus.PAST_DUE, SubscriptionStatus.CANCELED, null, null, null,
				SubscriptionStatus.PAST_DUE, SubscriptionStatus.ACTIVE, SubscriptionStatus.REVOKED);
		row(SubscriptionStatus.PAUSED, null, SubscriptionStatus.CANCELED, null, null, SubscriptionStatus.ACTIVE, null,
				null, SubscriptionStatus.REVOKED);
		row(SubscriptionStatus.CANCELED, null, null, null, null, null, null, null, SubscriptionStatus.CANCELED);
		row(SubscriptionStatus.REVOKED, null, null, null, null, null, null, null, SubscriptionStatus.REVOKED);
	}

	private static void row(SubscriptionStatus from, SubscriptionStatus... outcomes) {
		Map<Action, SubscriptionStatus> row = new EnumMap<>(Action.class);
		for (Action action : Action.values()) {
			row.put(action, outcomes[action.ordinal()]);
		}
		MATRIX.put(from, row);
	}

	static Stream<Arguments> everyStatusAndAction() {
		List<Arguments> pairs = new ArrayList<>();
		for (SubscriptionStatus status : SubscriptionStatus.values()) {
			for (Action action : Action.values()) {
				pairs.add(Arguments.of(status, action, MATRIX.get(status).get(action)));
			}
		}
		return pairs.stream();
	}

	@ParameterizedTest(name = "{0} + {1} -> {2}")
	@MethodSource("everyStatusAndAction")
	void appliesOrRefusesEveryActionInEveryStatus(SubscriptionStatus from, Action action, SubscriptionStatus to) {
		Subscription subscription = in(from);
		long sequence = subscription.getEventSequence();

		if (to == null) {
			assertThatExceptionOfType(TransitionRefused.class).isThrownBy(() -> action.apply.accept(subscription, CLOCK))
				.satisfies(refusal -> assertThat(refusal.status()).isEqualTo(from))
				.withMessageContaining(from.value());
			assertThat(subscription.getStatus()).isEqualTo(from);
			assertThat(subscription.getEventSequence()).isEqualTo(sequence);
		}
		else {
			action.apply.accept(subscription, CLOCK);
			assertThat(subscription.getStatus()).isEqualTo(to);
		}
	}

	@Test
	void coversEveryStatusAndAction() {
		assertThat(MATRIX).hasSize(SubscriptionStatus.values().length);
		MATRIX.values().forEach(row -> assertThat(row).hasSize(Action.values().length));
	}

	@Test
	void cancelsAnOverdueSubscriptionAtPeriodEndKeepingItLiveUntilThen() {
		Subscription subscription = in(SubscriptionStatus.PAST_DUE);

		subscription.cancel(false, "too expensive", CLOCK);

		assertThat(subscription.getStatus()).isEqualTo(SubscriptionStatus.PAST_DUE);
		assertThat(subscription.isCancelAtPeriodEnd()).isTrue();
		assertThat(subscription.getEndsAt()).isEqualTo(subscription.getCurrentPeriodEnd());
		assertThat(last(subscription)).isInstanceOf(SubscriptionEvent.Canceled.class);
	}

	@Test
	void cancelsImmediatelyRecordingCanceledThenEnded() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);

		subscription.cancel(true, null, CLOCK);

		List<SubscriptionEvent> events = subscription.recordedEvents();
		assertThat(events.get(events.size() - 2)).isInstanceOf(SubscriptionEvent.Canceled.class);
		assertThat(last(subscription)).isInstanceOfSatisfying(SubscriptionEvent.Ended.class,
				ended -> assertThat(ended.reason()).isEqualTo(EndReason.CANCELED));
		assertThat(subscription.getEndedAt()).isEqualTo(CLOCK.instant());
	}

	@Test
	void uncancelsOnlyWhatIsCanceledAtPeriodEnd() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		subscription.cancel(false, null, CLOCK);

		subscription.uncancel(CLOCK);

		assertThat(subscription.isCancelAtPeriodEnd()).isFalse();
		assertThat(subscription.getEndsAt()).isNull();
		assertThat(last(subscription)).isInstanceOf(SubscriptionEvent.Uncanceled.class);
	}

	@Test
	void refusesToChangeAnEndedSubscriptionSayingItHasEnded() {
		Subscription subscription = in(SubscriptionStatus.REVOKED);

		assertThatExceptionOfType(SubscriptionAlreadyEnded.class)
			.isThrownBy(() -> subscription.cancel(false, null, CLOCK))
			.withMessageContaining("status revoked");
	}

	@Test
	void revokesIdempotently() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);

		assertThat(subscription.revoke(EndReason.CUSTOMER_DELETED, CLOCK)).isTrue();
		assertThat(subscription.revoke(EndReason.CUSTOMER_DELETED, CLOCK)).isFalse();

		assertThat(subscription.getRevokedReason()).isEqualTo("customer_deleted");
		assertThat(subscription.recordedEvents()).filteredOn(SubscriptionEvent.Ended.class::isInstance).hasSize(1);
	}

	@Test
	void endsAtTheEndOfThePeriodOnlyWhenCanceledAtPeriodEndAndDue() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		Clock afterPeriod = Clock.offset(CLOCK, java.time.Duration.ofDays(40));

		assertThat(subscription.endIfDue(afterPeriod)).isFalse();
		subscription.cancel(false, null, CLOCK);
		assertThat(subscription.endIfDue(CLOCK)).isFalse();
		assertThat(subscription.endIfDue(afterPeriod)).isTrue();

		assertThat(subscription.getStatus()).isEqualTo(SubscriptionStatus.CANCELED);
		assertThat(last(subscription)).isInstanceOfSatisfying(SubscriptionEvent.Ended.class,
				ended -> assertThat(ended.reason()).isEqualTo(EndReason.EXPIRED));
	}

	@Test
	void numbersItsEventsInSequence() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		subscription.pause(PauseMode.FREE, CLOCK);
		subscription.resume(CLOCK);

		assertThat(subscription.recordedEvents()).extracting(event -> event.header().sequence())
			.containsExactly(1L, 2L, 3L);
	}

	/** A subscription brought to {@code status} through its own transitions. */
	static Subscription in(SubscriptionStatus status) {
		Subscription subscription = Subscription.create(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 999,
				"EUR", (status == SubscriptionStatus.TRIALING) ? 14 : 0, CLOCK);
		switch (status) {
			case PAST_DUE -> subscription.markPastDue(Invoice.open(subscription, CLOCK), CLOCK);
			case PAUSED -> subscription.pause(PauseMode.VOID, CLOCK);
			case CANCELED -> subscription.cancel(true, null, CLOCK);
			case REVOKED -> subscription.revoke(EndReason.REVOKED, CLOCK);
			default -> {
			}
		}
		assertThat(subscription.getStatus()).isEqualTo(status);
		return subscription;
	}

	private static SubscriptionEvent last(Subscription subscription) {
		List<SubscriptionEvent> events = subscription.recordedEvents();
		return events.get(events.size() - 1);
	}

}
