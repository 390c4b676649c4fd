package dev.subscriptions.subscriptionservice.subscription.webhook.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;

import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.BillingChange.ProviderInvoice;
import dev.subscriptions.subscriptionservice.subscription.BillingChange.Status;
import dev.subscriptions.subscriptionservice.subscription.Invoice;
import dev.subscriptions.subscriptionservice.subscription.PauseMode;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookDeliveries;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookRefused;

/**
 * What each Stripe event, as Stripe documents it, writes to {@code billing.events}: the
 * snapshot of a subscription event by the object's status (never the event's name), the
 * invoice of an invoice event for the subscription it names in either API version's
 * place, and nothing for what is not followed.
 */
class StripeChangesTests {

	private static final UUID CUSTOMER = UUID.fromString(StripePayload.CUSTOMER);

	private static final UUID PRODUCT = UUID.fromString(StripePayload.PRODUCT);

	/** 2025-06-01T08:00:00Z and 2025-07-01T08:00:00Z: the periods of the payloads. */
	private static final Instant PERIOD_1_END = Instant.ofEpochSecond(1748764800);

	private static final Instant PERIOD_2_END = Instant.ofEpochSecond(1751356800);

	@Test
	void mapsACreatedSubscriptionToAnActiveSnapshotWithOurIdsFromItsMetadata() {
		StripePayload payload = StripePayload.of("customer.subscription.created.json");

		BillingChange change = change(payload);

		assertThat(change.eventId()).isEqualTo(WebhookDeliveries.eventId("stripe", payload.eventId()));
		assertThat(change.occurredAt()).isEqualTo(Instant.ofEpochSecond(payload.created()));
		assertThat(change.provider()).isEqualTo(BillingChange.STRIPE);
		assertThat(change.providerSubscriptionId()).isEqualTo(StripePayload.SUBSCRIPTION);
		assertThat(change.customerId()).isEqualTo(CUSTOMER);
		assertThat(change.productId()).isEqualTo(PRODUCT);
		assertThat(change.status()).isEqualTo(Status.ACTIVE);
		assertThat(change.cancelAtPeriodEnd()).isFalse();
		assertThat(change.pauseMode()).isNull();
		assertThat(change.endsAt()).isNull();
		assertThat(change.invoice()).isNull();
	}

	@Test
	void readsThePeriodEndFromTheItemsFromApiVersion20250331() {
		StripePayload payload = StripePayload.of("customer.subscription.created.json");
		assertThat(payload.tree().path("data").path("object").has("current_period_end")).isFalse();

		assertThat(change(payload).currentPeriodEnd()).isEqualTo(PERIOD_1_END);
	}

	@Test
	void readsThePeriodEndFromTheSubscriptionBeforeApiVersion20250331() {
		StripePayload payload = StripePayload.of("customer.subscription.updated.json");
		assertThat(payload.tree().path("api_version").stringValue()).isEqualTo("2024-06-20");

		assertThat(change(payload).currentPeriodEnd()).isEqualTo(PERIOD_2_END);
	}

	@Test
	void takesTheLatestPeriodEndOfTheItems() {
		StripePayload payload = edited("customer.subscription.created.json", (subscription) -> {
			ObjectNode item = ((ObjectNode) subscription.path("items").path("data").get(0)).deepCopy();
			item.put("current_period_end", PERIOD_2_END.getEpochSecond());
			((ArrayNode) subscription.path("items").path("data")).add(item);
		});

		assertThat(change(payload).currentPeriodEnd()).isEqualTo(PERIOD_2_END);
	}

	@Test
	void mapsAnUpdatedSubscriptionByItsStatusNotByTheEventName() {
		assertThat(change(StripePayload.of("customer.subscription.updated.json")).status()).isEqualTo(Status.PAST_DUE);
		assertThat(change(StripePayload.of("customer.subscription.resumed.json")).status()).isEqualTo(Status.ACTIVE);
	}

	@Test
	void mapsStatusPausedToAPauseThatSuspendsAccess() {
		BillingChange change = change(StripePayload.of("customer.subscription.paused.json"));

		assertThat(change.status()).isEqualTo(Status.PAUSED);
		assertThat(change.pauseMode()).isEqualTo(PauseMode.VOID);
		assertThat(change.resumesAt()).isNull();
	}

	@Test
	void mapsPausedPaymentCollectionOfAnActiveSubscriptionToAFreePauseUntilItResumes() {
		BillingChange change = change(StripePayload.of("customer.subscription.updated.pause-collection.json"));

		assertThat(change.status()).isEqualTo(Status.PAUSED);
		assertThat(change.pauseMode()).isEqualTo(PauseMode.FREE);
		assertThat(change.resumesAt()).isEqualTo(PERIOD_2_END);
	}

	@ParameterizedTest
	@ValueSource(strings = { "keep_as_draft", "mark_uncollectible", "void" })
	void keepsAccessWhilePaymentCollectionIsPausedWhateverTheInvoicesBehavior(String behavior) {
		StripePayload payload = edited("customer.subscription.updated.pause-collection.json",
				(subscription) -> ((ObjectNode) subscription.path("pause_collection")).put("behavior", behavior)
					.putNull("resumes_at"));

		BillingChange change = change(payload);

		assertThat(change.pauseMode()).isEqualTo(PauseMode.FREE);
		assertThat(change.resumesAt()).isNull();
	}

	@Test
	void letsTheStatusDecideWhenPaymentCollectionIsPausedOnASubscriptionThatIsNotActive() {
		StripePayload payload = edited("customer.subscription.updated.pause-collection.json",
				(subscription) -> subscription.put("status", "past_due"));

		BillingChange change = change(payload);

		assertThat(change.status()).isEqualTo(Status.PAST_DUE);
		assertThat(change.pauseMode()).isNull();
	}

	@Test
	void mapsADeletedSubscriptionToCanceledEndingWhenStripeEndedIt() {
		BillingChange change = change(StripePayload.of("customer.subscription.deleted.json"));

		assertThat(change.status()).isEqualTo(Status.CANCELED);
		assertThat(change.endsAt()).isEqualTo(PERIOD_2_END);
		assertThat(change.cancelAtPeriodEnd()).isFalse();
	}

	@Test
	void mapsCancelAtPeriodEndToACancellationEntitledUntilCancelAt() {
		BillingChange change = change(StripePayload.of("customer.subscription.updated.cancel-at-period-end.json"));

		assertThat(change.status()).isEqualTo(Status.ACTIVE);
		assertThat(change.cancelAtPeriodEnd()).isTrue();
		assertThat(change.endsAt()).isEqualTo(PERIOD_2_END);
	}

	@Test
	void mapsCancelAtPeriodEndWithoutCancelAtToACancellationAtThePeriodsEnd() {
		StripePayload payload = edited("customer.subscription.updated.cancel-at-period-end.json",
				(subscription) -> subscription.putNull("cancel_at"));

		BillingChange change = change(payload);

		assertThat(change.cancelAtPeriodEnd()).isTrue();
		assertThat(change.endsAt()).isEqualTo(change.currentPeriodEnd()).isEqualTo(PERIOD_2_END);
	}

	@Test
	void mapsASetCancellationDateToACancellationEntitledUntilThen() {
		Instant cancelAt = PERIOD_1_END.plusSeconds(86400 * 10);
		StripePayload payload = edited("customer.subscription.created.json",
				(subscription) -> subscription.put("cancel_at", cancelAt.getEpochSecond()));

		BillingChange change = change(payload);

		assertThat(change.cancelAtPeriodEnd()).isTrue();
		assertThat(change.endsAt()).isEqualTo(cancelAt);
	}

	@Test
	void mapsTrialingUnpaidAndIncompleteExpired() {
		assertThat(withStatus("trialing").status()).isEqualTo(Status.TRIALING);
		assertThat(withStatus("unpaid").status()).isEqualTo(Status.UNPAID);
		BillingChange expired = withStatus("incomplete_expired");
		assertThat(expired.status()).isEqualTo(Status.EXPIRED);
		assertThat(expired.endsAt()).as("no ended_at: the event's time").isEqualTo(expired.occurredAt());
	}

	@Test
	void writesNothingForAnIncompleteSubscriptionWhichWasNeverPaidFor() {
		StripePayload payload = edited("customer.subscription.created.json",
				(subscription) -> subscription.put("status", "incomplete"));

		assertThat(changes(payload)).isEmpty();
	}

	@Test
	void refusesAStatusStripeDoesNotHave() {
		StripePayload payload = edited("customer.subscription.created.json",
				(subscription) -> subscription.put("status", "suspended"));

		assertMalformed(payload);
	}

	@Test
	void leavesOurIdsOutWhenTheMetadataHasNone() {
		StripePayload payload = edited("customer.subscription.updated.json",
				(subscription) -> subscription.putObject("metadata"));

		BillingChange change = change(payload);

		assertThat(change.customerId()).isNull();
		assertThat(change.productId()).isNull();
	}

	@Test
	void readsACustomerIdInTheMetadataThatIsNoUuidAsNone() {
		StripePayload payload = edited("customer.subscription.updated.json",
				(subscription) -> ((ObjectNode) subscription.path("metadata")).put("customer_id", "cus_123"));

		BillingChange change = change(payload);

		assertThat(change.customerId()).isNull();
		assertThat(change.productId()).isEqualTo(PRODUCT);
	}

	@Test
	void takesTheSubscriptionOfAnInvoiceFromItsParentFromApiVersion20250331() {
		StripePayload payload = StripePayload.of("invoice.paid.json");
		assertThat(payload.tree().path("data").path("object").has("subscription")).isFalse();

		BillingChange change = change(payload);

		assertThat(change.providerSubscriptionId()).isEqualTo(StripePayload.SUBSCRIPTION)
			.isNotEqualTo(payload.objectId());
		assertThat(change.isSnapshot()).isFalse();
		assertThat(change.customerId()).isEqualTo(CUSTOMER);
		assertThat(change.productId()).isEqualTo(PRODUCT);
		assertThat(change.invoice())
			.isEqualTo(new ProviderInvoice("in_1RV3gQHk2xV9wQpLe5F6g7H8", Invoice.Status.PAID, 1999, "EUR"));
		assertThat(change.occurredAt()).isEqualTo(Instant.ofEpochSecond(payload.created()));
	}

	@Test
	void takesTheSubscriptionOfAnInvoiceFromItsSubscriptionFieldBeforeApiVersion20250331() {
		StripePayload payload = StripePayload.of("invoice.paid.2024-06-20.json");
		assertThat(payload.tree().path("data").path("object").has("parent")).isFalse();

		BillingChange change = change(payload);

		assertThat(change.providerSubscriptionId()).isEqualTo(StripePayload.SUBSCRIPTION)
			.isNotEqualTo(payload.objectId());
		assertThat(change.customerId()).isEqualTo(CUSTOMER);
		assertThat(change.productId()).isEqualTo(PRODUCT);
		assertThat(change.invoice())
			.isEqualTo(new ProviderInvoice("in_1PXq7sHk2xV9wQpLz8YwVuTs", Invoice.Status.PAID, 1999, "EUR"));
	}

	@Test
	void takesTheSubscriptionOfAnInvoiceThatStripeExpanded() {
		StripePayload payload = edited("invoice.paid.2024-06-20.json",
				(invoice) -> invoice.putObject("subscription")
					.put("id", StripePayload.SUBSCRIPTION)
					.put("object", "subscription"));

		assertThat(change(payload).providerSubscriptionId()).isEqualTo(StripePayload.SUBSCRIPTION);
	}

	@Test
	void mapsAFailedPaymentToTheInvoiceOpenForTheAmountDue() {
		BillingChange change = change(StripePayload.of("invoice.payment_failed.json"));

		assertThat(change.providerSubscriptionId()).isEqualTo(StripePayload.SUBSCRIPTION);
		assertThat(change.status()).isNull();
		assertThat(change.invoice())
			.isEqualTo(new ProviderInvoice("in_1RV3gQHk2xV9wQpLe5F6g7H8", Invoice.Status.OPEN, 1999, "EUR"));
	}

	@Test
	void writesNothingForAnInvoiceOfNoSubscription() {
		StripePayload payload = edited("invoice.paid.json", (invoice) -> invoice.putNull("parent"));

		assertThat(changes(payload)).isEmpty();
	}

	@Test
	void writesNothingForEventsItDoesNotFollow() {
		StripePayload payment = StripePayload.of("invoice.paid.json")
			.replacing("invoice.paid", "invoice.payment_succeeded");
		StripePayload trialEnding = StripePayload.of("customer.subscription.created.json")
			.replacing("customer.subscription.created", "customer.subscription.trial_will_end");

		assertThat(changes(payment)).isEmpty();
		assertThat(changes(trialEnding)).isEmpty();
	}

	@Test
	void refusesASubscriptionEventWhoseObjectIsNoSubscription() {
		StripePayload payload = StripePayload.of("invoice.paid.json")
			.replacing("invoice.paid", "customer.subscription.updated");

		assertMalformed(payload);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"id\": \"evt_1\", ", "[]", "\"evt_1\"", "",
			"{\"id\": \"evt_1\", \"type\": \"invoice.paid\"}",
			"{\"id\": \"evt_1\", \"type\": \"invoice.paid\", \"created\": \"yesterday\", \"data\": {\"object\": {}}}" })
	void refusesWhatIsNoStripeEvent(String body) {
		assertThatThrownBy(() -> StripeEvent.parse(StripePayload.JSON, body.getBytes(StandardCharsets.UTF_8)))
			.isInstanceOfSatisfying(WebhookRefused.class,
					(refused) -> assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST));
	}

	private static BillingChange withStatus(String status) {
		return change(
				edited("customer.subscription.created.json", (subscription) -> subscription.put("status", status)));
	}

	/** The payload of {@code file} with its {@code data.object} edited. */
	private static StripePayload edited(String file, Consumer<ObjectNode> edit) {
		ObjectNode event = (ObjectNode) StripePayload.of(file).tree();
		edit.accept((ObjectNode) event.path("data").path("object"));
		return StripePayload.parsed(event);
	}

	private static BillingChange change(StripePayload payload) {
		return changes(payload).orElseThrow(() -> new AssertionError(payload.type() + " wrote nothing"));
	}

	private static Optional<BillingChange> changes(StripePayload payload) {
		return StripeChanges.of(StripeEvent.parse(StripePayload.JSON, payload.bytes()));
	}

	private static void assertMalformed(StripePayload payload) {
		assertThatThrownBy(() -> changes(payload)).isInstanceOfSatisfying(WebhookRefused.class,
				(refused) -> assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST));
	}

}
