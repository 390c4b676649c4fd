package dev.subscriptions.subscriptionservice.subscription;

import static dev.subscriptions.subscriptionservice.subscription.SubscriptionStatus.ACTIVE;
import static dev.subscriptions.subscriptionservice.subscription.SubscriptionStatus.CANCELED;
import static dev.subscriptions.subscriptionservice.subscription.SubscriptionStatus.PAST_DUE;
import static dev.subscriptions.subscriptionservice.subscription.SubscriptionStatus.PAUSED;
import static dev.subscriptions.subscriptionservice.subscription.SubscriptionStatus.REVOKED;
import static dev.subscriptions.subscriptionservice.subscription.SubscriptionStatus.TRIALING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
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

import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent.Activated;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent.Canceled;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent.Ended;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent.PastDue;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent.Paused;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent.Resumed;
import dev.subscriptions.subscriptionservice.subscription.SubscriptionEvent.Uncanceled;

/**
 * Every (status, action) pair: what the subscription becomes and which events it records,
 * or that it is refused.
 */
class SubscriptionTransitionsTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

	/** Each action, and the events it records when it changes the subscription. */
	enum Action {

		CANCEL_AT_PERIOD_END((s, c) -> s.cancelAtPeriodEnd(null, null, c), Canceled.class),
		CANCEL_IMMEDIATELY((s, c) -> s.cancelImmediately(null, null, c), Canceled.class, Ended.class),
		UNCANCEL(Subscription::uncancel, Uncanceled.class), PAUSE((s, c) -> s.pause(PauseMode.VOID, c), Paused.class),
		RESUME(Subscription::resume, Resumed.class),
		PAYMENT_FAILED((s, c) -> s.markPastDue(Invoice.open(s, c), c), PastDue.class),
		PAYMENT_SUCCEEDED(Subscription::activate, Activated.class),
		REVOKE((s, c) -> s.revoke(EndReason.REVOKED, c), Ended.class),
		UNPAID((s, c) -> s.markUnpaid(Invoice.open(s, c), c), PastDue.class),
		PROVIDER_CANCEL_AT_PERIOD_END((s, c) -> s.cancelAtProvidersPeriodEnd(c.instant().plusSeconds(86_400), c),
				Canceled.class),
		PROVIDER_UNCANCEL(Subscription::uncancelByProvider, Uncanceled.class),
		PROVIDER_CANCELED((s, c) -> s.endByProvider(EndReason.CANCELED, c.instant()), Canceled.class, Ended.class),
		PROVIDER_EXPIRED((s, c) -> s.endByProvider(EndReason.EXPIRED, c.instant()), Ended.class);

		final BiConsumer<Subscription, Clock> apply;

		final List<Class<? extends SubscriptionEvent>> records;

		@SafeVarargs
		Action(BiConsumer<Subscription, Clock> apply, Class<? extends SubscriptionEvent>... records) {
			this.apply = apply;
			this.records = List.of(records);
		}

	}

	/**
	 * What an action does in a status: refused; allowed but changing nothing (it finds
	 * the subscription where it would bring it); or bringing it to a status, recording
	 * the action's events.
	 */
	record Outcome(String name, SubscriptionStatus status) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	private static final Outcome REFUSED = new Outcome("refused", null);

	private static final Outcome UNCHANGED = new Outcome("unchanged", null);

	private static Outcome to(SubscriptionStatus status) {
		return new Outcome(status.value(), status);
	}

	private static final Map<SubscriptionStatus, Map<Action, Outcome>> MATRIX = new EnumMap<>(SubscriptionStatus.class);

	static {
		// from cancel at end cancel now uncancel pause resume pay failed pay ok revoke
		// then the billing provider's: unpaid, cancel at its period end, uncancel,
		// canceled, expired
		row(TRIALING, to(TRIALING), to(CANCELED), REFUSED, to(PAUSED), REFUSED, to(PAST_DUE), to(ACTIVE), to(REVOKED),
				to(PAST_DUE), to(TRIALING), UNCHANGED, to(CANCELED), to(CANCELED));
		row(ACTIVE, to(ACTIVE), to(CANCELED), REFUSED, to(PAUSED), REFUSED, to(PAST_DUE), UNCHANGED, to(REVOKED),
				to(PAST_DUE), to(ACTIVE), UNCHANGED, to(CANCELED), to(CANCELED));
		row(PAST_DUE, to(PAST_DUE), to(CANCELED), REFUSED, REFUSED, REFUSED, UNCHANGED, to(ACTIVE), to(REVOKED),
				to(PAST_DUE), to(PAST_DUE), UNCHANGED, to(CANCELED), to(CANCELED));
		row(PAUSED, REFUSED, to(CANCELED), REFUSED, REFUSED, to(ACTIVE), REFUSED, REFUSED, to(REVOKED), REFUSED,
				REFUSED, UNCHANGED, to(CANCELED), to(CANCELED));
		row(CANCELED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, UNCHANGED, REFUSED, REFUSED,
				REFUSED, UNCHANGED, UNCHANGED);
		row(REVOKED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, UNCHANGED, REFUSED, REFUSED,
				REFUSED, UNCHANGED, UNCHANGED);
	}

	private static void row(SubscriptionStatus from, Outcome... outcomes) {
		Map<Action, Outcome> row = new EnumMap<>(Action.class);
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
	void appliesOrRefusesEveryActionInEveryStatus(SubscriptionStatus from, Action action, Outcome outcome) {
		Subscription subscription = in(from);
		int recorded = subscription.recordedEvents().size();

		if (REFUSED.equals(outcome)) {
			assertThatExceptionOfType(TransitionRefused.class)
				.isThrownBy(() -> action.apply.accept(subscription, CLOCK))
				.satisfies(refusal -> assertThat(refusal.status()).isEqualTo(from))
				.withMessageContaining(from.value());
			assertThat(subscription.getStatus()).isEqualTo(from);
			assertThat(eventsSince(subscription, recorded)).isEmpty();
		}
		else if (UNCHANGED.equals(outcome)) {
			action.apply.accept(subscription, CLOCK);
			assertThat(subscription.getStatus()).isEqualTo(from);
			assertThat(eventsSince(subscription, recorded)).isEmpty();
		}
		else {
			action.apply.accept(subscription, CLOCK);
			assertThat(subscription.getStatus()).isEqualTo(outcome.status());
			assertThat(eventsSince(subscription, recorded)).map(Object::getClass)
				.containsExactlyElementsOf(action.records);
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

		subscription.cancelAtPeriodEnd("too_expensive", null, CLOCK);

		assertThat(subscription.getStatus()).isEqualTo(SubscriptionStatus.PAST_DUE);
		assertThat(subscription.isCancelAtPeriodEnd()).isTrue();
		assertThat(subscription.getEndsAt()).isEqualTo(subscription.getCurrentPeriodEnd());
		assertThat(last(subscription)).isInstanceOf(SubscriptionEvent.Canceled.class);
	}

	@Test
	void cancelsImmediatelyRecordingCanceledThenEnded() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);

		subscription.cancelImmediately(null, null, CLOCK);

		List<SubscriptionEvent> events = subscription.recordedEvents();
		assertThat(events.get(events.size() - 2)).isInstanceOf(SubscriptionEvent.Canceled.class);
		assertThat(last(subscription)).isInstanceOfSatisfying(SubscriptionEvent.Ended.class,
				ended -> assertThat(ended.reason()).isEqualTo(EndReason.CANCELED));
		assertThat(subscription.getEndedAt()).isEqualTo(CLOCK.instant());
	}

	@Test
	void uncancelsOnlyWhatIsCanceledAtPeriodEnd() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		subscription.cancelAtPeriodEnd(null, null, CLOCK);

		subscription.uncancel(CLOCK);

		assertThat(subscription.isCancelAtPeriodEnd()).isFalse();
		assertThat(subscription.getEndsAt()).isNull();
		assertThat(last(subscription)).isInstanceOf(SubscriptionEvent.Uncanceled.class);
	}

	@Test
	void refusesToChangeAnEndedSubscriptionSayingItHasEnded() {
		Subscription subscription = in(SubscriptionStatus.REVOKED);

		assertThatExceptionOfType(SubscriptionAlreadyEnded.class)
			.isThrownBy(() -> subscription.cancelAtPeriodEnd(null, null, CLOCK))
			.withMessageContaining("status revoked");
	}

	@Test
	void knowsItWasRevokedBecauseItsCustomerWasDeletedAndNotOtherwise() {
		Subscription deleted = in(SubscriptionStatus.ACTIVE);
		deleted.revoke(EndReason.CUSTOMER_DELETED, CLOCK);

		assertThat(deleted.isRevokedForDeletedCustomer()).isTrue();
		assertThat(in(SubscriptionStatus.REVOKED).isRevokedForDeletedCustomer()).isFalse();
		assertThat(in(SubscriptionStatus.CANCELED).isRevokedForDeletedCustomer()).isFalse();
		assertThat(in(SubscriptionStatus.ACTIVE).isRevokedForDeletedCustomer()).isFalse();
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
		subscription.cancelAtPeriodEnd(null, null, CLOCK);
		assertThat(subscription.endIfDue(CLOCK)).isFalse();
		assertThat(subscription.endIfDue(afterPeriod)).isTrue();

		assertThat(subscription.getStatus()).isEqualTo(SubscriptionStatus.CANCELED);
		assertThat(last(subscription)).isInstanceOfSatisfying(SubscriptionEvent.Ended.class,
				ended -> assertThat(ended.reason()).isEqualTo(EndReason.EXPIRED));
	}

	@Test
	void keepsHowItWasCanceledOnceACancellationAtPeriodEndHasTakenEffect() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		subscription.cancelAtPeriodEnd("too_expensive", "maybe later", CLOCK);
		Instant endsAt = subscription.getEndsAt();

		assertThat(subscription.endIfDue(Clock.fixed(endsAt, ZoneOffset.UTC))).isTrue();

		assertThat(subscription.isCancelAtPeriodEnd()).isFalse();
		assertThat(subscription.getEndedAt()).isEqualTo(endsAt);
		assertThat(subscription.getCancellation())
			.isEqualTo(new Cancellation(CLOCK.instant(), "too_expensive", "maybe later", true, endsAt));
	}

	@Test
	void replacesACancellationAtPeriodEndWhenCanceledImmediately() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		subscription.cancelAtPeriodEnd("too_expensive", null, CLOCK);

		subscription.cancelImmediately("unused", null, CLOCK);

		assertThat(subscription.getCancellation())
			.isEqualTo(new Cancellation(CLOCK.instant(), "unused", null, false, null));
		assertThat(subscription.isCancelAtPeriodEnd()).isFalse();
		assertThat(subscription.getEndsAt()).isNull();
	}

	@Test
	void keepsThePauseAsOneValueAndDropsItOnResume() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);

		subscription.pause(PauseMode.FREE, CLOCK);
		assertThat(subscription.getPause()).isEqualTo(new Pause(CLOCK.instant(), PauseMode.FREE));
		subscription.resume(CLOCK);
		assertThat(subscription.getPause()).isNull();
	}

	@Test
	void numbersItsEventsInSequence() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		subscription.pause(PauseMode.FREE, CLOCK);
		subscription.resume(CLOCK);

		assertThat(subscription.recordedEvents()).extracting(event -> event.header().sequence())
			.containsExactly(1L, 2L, 3L);
	}

	@Test
	void keepsTheReasonAndCommentOfACancellationAndDropsThemWhenItIsTakenBack() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);

		subscription.cancelAtPeriodEnd("too_expensive", "I only use it once a month", CLOCK);

		assertThat(subscription.getCancellation().reason()).isEqualTo("too_expensive");
		assertThat(subscription.getCancellation().comment()).isEqualTo("I only use it once a month");
		subscription.uncancel(CLOCK);
		assertThat(subscription.getCancellation()).isNull();
	}

	@Test
	void keepsTheReasonAndCommentOfAnImmediateCancellation() {
		Subscription subscription = in(SubscriptionStatus.PAUSED);

		subscription.cancelImmediately("unused", "Moving abroad", CLOCK);

		assertThat(subscription.getCancellation().reason()).isEqualTo("unused");
		assertThat(subscription.getCancellation().comment()).isEqualTo("Moving abroad");
	}

	@Test
	void refusesACancellationCommentLongerThanItKeeps() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		String tooLong = "x".repeat(Cancellation.MAX_COMMENT_LENGTH + 1);

		assertThatIllegalArgumentException().isThrownBy(() -> subscription.cancelImmediately(null, tooLong, CLOCK));
		assertThat(subscription.getStatus()).isEqualTo(SubscriptionStatus.ACTIVE);
	}

	@Test
	void refusesToUncancelOnceTheCancellationHasComeDueSayingThePeriodHasEnded() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		subscription.cancelAtPeriodEnd(null, null, CLOCK);
		Clock atPeriodEnd = Clock.fixed(subscription.getEndsAt(), ZoneOffset.UTC);
		int recorded = subscription.recordedEvents().size();

		assertThatExceptionOfType(SubscriptionPeriodAlreadyEnded.class)
			.isThrownBy(() -> subscription.uncancel(atPeriodEnd))
			.satisfies(refusal -> assertThat(refusal.status()).isEqualTo(SubscriptionStatus.ACTIVE))
			.withMessageContaining("ended at " + subscription.getEndsAt())
			.withMessageContaining("status active");
		assertThat(subscription.isCancelAtPeriodEnd()).isTrue();
		assertThat(eventsSince(subscription, recorded)).isEmpty();
		assertThat(subscription.endIfDue(atPeriodEnd)).isTrue();
	}

	@Test
	void refusesToCancelAtPeriodEndOnceThePeriodHasEndedAndCancelsImmediatelyInstead() {
		Subscription subscription = in(SubscriptionStatus.TRIALING);
		Clock afterPeriod = Clock.fixed(subscription.getCurrentPeriodEnd().plusSeconds(1), ZoneOffset.UTC);

		assertThatExceptionOfType(SubscriptionPeriodAlreadyEnded.class)
			.isThrownBy(() -> subscription.cancelAtPeriodEnd(null, null, afterPeriod))
			.withMessageContaining("status trialing")
			.withMessageContaining("cancel it immediately instead");
		assertThat(subscription.isCancelAtPeriodEnd()).isFalse();
		assertThat(subscription.getEndsAt()).isNull();

		subscription.cancelImmediately(null, null, afterPeriod);
		assertThat(subscription.getStatus()).isEqualTo(SubscriptionStatus.CANCELED);
		assertThat(subscription.getEndedAt()).isEqualTo(afterPeriod.instant());
	}

	@Test
	void marksAPaymentFailureWithTheGraceRunning() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);

		subscription.markPastDue(Invoice.open(subscription, CLOCK), CLOCK);

		assertThat(subscription.isGraceOver()).isFalse();
		assertThat(last(subscription)).isInstanceOfSatisfying(PastDue.class,
				pastDue -> assertThat(pastDue.graceOver()).isFalse());
	}

	@Test
	void marksAnUnpaidSubscriptionOverdueWithTheGraceOverOnce() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		Invoice invoice = Invoice.open(subscription, CLOCK);

		assertThat(subscription.markUnpaid(invoice, CLOCK)).isTrue();
		int recorded = subscription.recordedEvents().size();
		assertThat(subscription.markUnpaid(invoice, CLOCK)).isFalse();
		assertThat(subscription.markPastDue(invoice, CLOCK)).isFalse();

		assertThat(subscription.getStatus()).isEqualTo(SubscriptionStatus.PAST_DUE);
		assertThat(subscription.isGraceOver()).isTrue();
		assertThat(eventsSince(subscription, recorded)).isEmpty();
		assertThat(last(subscription)).isInstanceOfSatisfying(PastDue.class,
				pastDue -> assertThat(pastDue).returns(true, PastDue::graceOver)
					.returns(invoice.getId(), PastDue::invoiceId));
	}

	@Test
	void endsTheGraceOfAnOverdueSubscriptionWhenItBecomesUnpaidAndForgetsItOnceActive() {
		Subscription subscription = in(SubscriptionStatus.PAST_DUE);

		subscription.markUnpaid(Invoice.open(subscription, CLOCK), CLOCK);
		assertThat(subscription.isGraceOver()).isTrue();
		subscription.activate(CLOCK);

		assertThat(subscription.isGraceOver()).isFalse();
		assertThat(subscription.getStatus()).isEqualTo(SubscriptionStatus.ACTIVE);
	}

	@Test
	void createsASubscriptionOfABillingProviderLinkedToItsSubscription() {
		Instant periodEnd = CLOCK.instant().plusSeconds(30 * 86_400L);

		Subscription active = Subscription.createByProvider(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
				BillingChange.STRIPE, "sub_1", false, 1999, "EUR", periodEnd, CLOCK);
		Subscription trialing = Subscription.createByProvider(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
				BillingChange.STRIPE, "sub_2", true, 0, "XXX", null, CLOCK);

		assertThat(active).returns(BillingChange.STRIPE, Subscription::getProvider)
			.returns("sub_1", Subscription::getProviderSubscriptionId)
			.returns(SubscriptionStatus.ACTIVE, Subscription::getStatus)
			.returns(CLOCK.instant(), Subscription::getCurrentPeriodStart)
			.returns(periodEnd, Subscription::getCurrentPeriodEnd);
		assertThat(last(active)).isInstanceOfSatisfying(SubscriptionEvent.Created.class,
				created -> assertThat(created).returns(SubscriptionStatus.ACTIVE, SubscriptionEvent.Created::status)
					.returns(1999L, SubscriptionEvent.Created::amount)
					.returns("EUR", SubscriptionEvent.Created::currency)
					.returns(periodEnd, SubscriptionEvent.Created::currentPeriodEnd));
		assertThat(trialing).returns(SubscriptionStatus.TRIALING, Subscription::getStatus)
			.returns("XXX", Subscription::getCurrency)
			.returns(CLOCK.instant(), Subscription::getCurrentPeriodEnd);
	}

	@Test
	void cancelsAtTheProvidersPeriodEndEvenOnceItHasPassedAndEndsItThen() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		Instant endsAt = CLOCK.instant().minusSeconds(60);

		assertThat(subscription.cancelAtProvidersPeriodEnd(endsAt, CLOCK)).isTrue();
		assertThat(subscription.cancelAtProvidersPeriodEnd(endsAt.plusSeconds(3_600), CLOCK)).isFalse();

		assertThat(subscription.getEndsAt()).isEqualTo(endsAt);
		assertThat(subscription.getCancellation().reason()).isNull();
		assertThat(last(subscription)).isInstanceOfSatisfying(Canceled.class,
				canceled -> assertThat(canceled).returns(true, Canceled::atPeriodEnd)
					.returns(endsAt, Canceled::endsAt));
		assertThat(subscription.endIfDue(CLOCK)).isTrue();
		assertThat(subscription.getEndedAt()).isEqualTo(endsAt);
		assertThat(last(subscription)).isInstanceOfSatisfying(Ended.class,
				ended -> assertThat(ended.reason()).isEqualTo(EndReason.EXPIRED));
	}

	@Test
	void takesBackTheProvidersCancellationAlsoOnceItsEndHasPassed() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		subscription.cancelAtProvidersPeriodEnd(CLOCK.instant().minusSeconds(60), CLOCK);

		assertThat(subscription.uncancelByProvider(CLOCK)).isTrue();

		assertThat(subscription.isCancelAtPeriodEnd()).isFalse();
		assertThat(subscription.getCancellation()).isNull();
		assertThat(last(subscription)).isInstanceOf(Uncanceled.class);
		assertThat(subscription.endIfDue(CLOCK)).isFalse();
	}

	@Test
	void endsAsCanceledByTheProviderRecordingAnImmediateCancellation() {
		Subscription subscription = in(SubscriptionStatus.PAUSED);
		Instant endedAt = CLOCK.instant().minusSeconds(5);
		int recorded = subscription.recordedEvents().size();

		assertThat(subscription.endByProvider(EndReason.CANCELED, endedAt)).isTrue();

		assertThat(subscription).returns(SubscriptionStatus.CANCELED, Subscription::getStatus)
			.returns(endedAt, Subscription::getEndedAt)
			.returns(new Cancellation(endedAt, null, null, false, null), Subscription::getCancellation);
		assertThat(eventsSince(subscription, recorded)).satisfiesExactly(
				canceled -> assertThat(canceled).isInstanceOfSatisfying(Canceled.class,
						event -> assertThat(event.atPeriodEnd()).isFalse()),
				ended -> assertThat(ended).isInstanceOfSatisfying(Ended.class,
						event -> assertThat(event).returns(EndReason.CANCELED, Ended::reason)
							.returns(endedAt, Ended::endedAt)));
	}

	@Test
	void expiresWhenTheProviderEndsWhatWasCanceledAtPeriodEndKeepingHowItWasCanceled() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		Instant endsAt = CLOCK.instant().plusSeconds(3_600);
		subscription.cancelAtProvidersPeriodEnd(endsAt, CLOCK);
		int recorded = subscription.recordedEvents().size();

		assertThat(subscription.endByProvider(EndReason.CANCELED, endsAt)).isTrue();
		assertThat(subscription.endByProvider(EndReason.EXPIRED, endsAt)).isFalse();

		assertThat(subscription.getCancellation().atPeriodEnd()).isTrue();
		assertThat(eventsSince(subscription, recorded)).singleElement()
			.isInstanceOfSatisfying(Ended.class, ended -> assertThat(ended.reason()).isEqualTo(EndReason.EXPIRED));
	}

	@Test
	void refusesAnEndByTheProviderForAReasonThatIsNoneOfItsOwn() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);

		assertThatIllegalArgumentException()
			.isThrownBy(() -> subscription.endByProvider(EndReason.REVOKED, CLOCK.instant()));
		assertThat(subscription.getStatus()).isEqualTo(SubscriptionStatus.ACTIVE);
	}

	@Test
	void followsTheProvidersPeriodStartingARenewedOneWhereTheLastEndedWithoutAnEvent() {
		Subscription subscription = in(SubscriptionStatus.ACTIVE);
		Instant start = subscription.getCurrentPeriodStart();
		Instant end = subscription.getCurrentPeriodEnd();
		int recorded = subscription.recordedEvents().size();

		subscription.followBillingPeriod(end.plusSeconds(86_400), CLOCK.instant(), CLOCK);
		assertThat(subscription.getCurrentPeriodStart()).as("moved before its end").isEqualTo(start);
		subscription.followBillingPeriod(end.plusSeconds(40 * 86_400L), end.plusSeconds(86_460), CLOCK);
		assertThat(subscription.getCurrentPeriodStart()).as("renewed").isEqualTo(end.plusSeconds(86_400));
		subscription.followBillingPeriod(start.minusSeconds(1), CLOCK.instant(), CLOCK);

		assertThat(subscription.getCurrentPeriodEnd()).isEqualTo(end.plusSeconds(40 * 86_400L));
		assertThat(eventsSince(subscription, recorded)).isEmpty();
	}

	@Test
	void leavesThePeriodOfAnEndedSubscriptionAsItIs() {
		Subscription subscription = in(SubscriptionStatus.CANCELED);
		Instant end = subscription.getCurrentPeriodEnd();

		subscription.followBillingPeriod(end.plusSeconds(86_400), CLOCK.instant(), CLOCK);

		assertThat(subscription.getCurrentPeriodEnd()).isEqualTo(end);
	}

	/** A subscription brought to {@code status} through its own transitions. */
	static Subscription in(SubscriptionStatus status) {
		Subscription subscription = Subscription.create(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 999,
				Currency.getInstance("EUR"), (status == SubscriptionStatus.TRIALING) ? 14 : 0, CLOCK);
		switch (status) {
			case PAST_DUE -> subscription.markPastDue(Invoice.open(subscription, CLOCK), CLOCK);
			case PAUSED -> subscription.pause(PauseMode.VOID, CLOCK);
			case CANCELED -> subscription.cancelImmediately(null, null, CLOCK);
			case REVOKED -> subscription.revoke(EndReason.REVOKED, CLOCK);
			default -> {
			}
		}
		assertThat(subscription.getStatus()).isEqualTo(status);
		return subscription;
	}

	private static List<SubscriptionEvent> eventsSince(Subscription subscription, int recorded) {
		List<SubscriptionEvent> events = subscription.recordedEvents();
		return events.subList(recorded, events.size());
	}

	private static SubscriptionEvent last(Subscription subscription) {
		List<SubscriptionEvent> events = subscription.recordedEvents();
		return events.get(events.size() - 1);
	}

}
