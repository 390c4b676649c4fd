package dev.subscriptions.subscriptionservice.subscription.webhook.stripe;

import static dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest.STRIPE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.billing.BillingInvoice;
import dev.subscriptions.events.billing.BillingSubscriptionChanged;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.subscriptionservice.subscription.BillingChange;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookDeliveries;
import dev.subscriptions.web.test.ApiResponses;

/**
 * {@code POST /webhooks/stripe} over HTTP with Stripe's documented payloads, against the
 * real database, outbox relay, broker and registry: what a delivery writes is read back
 * from {@code billing.events} as any consumer reads it.
 */
@SubscriptionServiceIntegrationTest
class StripeWebhookIntegrationTests {

	@Autowired
	EventTopics topics;

	@Autowired
	RestTestClient client;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	KnownCustomers customers;

	@Autowired
	MeterRegistry meters;

	private final String subscription = StripePayload.newId("sub_");

	private final UUID customer = UUID.randomUUID();

	private final UUID product = UUID.randomUUID();

	/** The payloads' invoice ids, each replaced by one of this test's own. */
	private final Map<String, String> invoices = new HashMap<>();

	@BeforeEach
	void knowTheCustomer() {
		this.customers.recordCreated(new KnownCustomers.Created(this.customer, UUID.randomUUID(), Instant.now()));
	}

	/** How a delivery can fail to be Stripe's. */
	enum Forgery {

		/** A v1 that is no HMAC of the body. */
		FORGED_SIGNATURE,
		/** Signed with another endpoint's secret. */
		WRONG_SECRET,
		/** One byte of the body changed after signing. */
		FLIPPED_BYTE,
		/** The same JSON written again (no indentation) by something in between. */
		RESERIALIZED_BODY,
		/** No Stripe-Signature at all. */
		NO_SIGNATURE,
		/** Genuinely signed, but longer ago than the tolerance (a replayed capture). */
		TIMESTAMP_TOO_OLD

	}

	@ParameterizedTest
	@EnumSource
	void refusesADeliveryThatIsNotStripesAndStoresNothing(Forgery forgery) {
		StripePayload payload = payload("customer.subscription.created.json");
		byte[] signed = payload.bytes();
		long now = Instant.now().getEpochSecond();
		byte[] body = signed;
		String signature = StripePayload.signature(STRIPE_SECRET, now, signed);
		switch (forgery) {
			case FORGED_SIGNATURE -> signature = "t=" + now + ",v1=" + randomHex();
			case WRONG_SECRET -> signature = StripePayload.signature("whsec_another_endpoints_secret", now, signed);
			case FLIPPED_BYTE -> {
				body = signed.clone();
				body[body.length / 2] ^= 1;
			}
			case RESERIALIZED_BODY ->
				body = StripePayload.JSON.writeValueAsString(payload.tree()).getBytes(StandardCharsets.UTF_8);
			case NO_SIGNATURE -> signature = null;
			case TIMESTAMP_TOO_OLD -> signature = StripePayload.signature(STRIPE_SECRET, now - 600, signed);
		}

		EntityExchangeResult<Map<String, Object>> refused = deliver(body, signature);

		assertThat(refused.getStatus().value()).isEqualTo(401);
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.getResponseBody()).containsEntry("title", "Invalid webhook signature");
		assertThat(deliveryRecorded(payload.eventId())).isFalse();
		assertThat(outcome(deliver(payload))).as("the genuine delivery, after the refused one").isEqualTo("applied");
		assertThat(recordsUntil(payload.eventId())).hasSize(1);
	}

	/**
	 * The webhook is open on the API's port: Stripe sends no bearer token, and the
	 * signature alone decides. A refusal is the webhook's own, without a bearer
	 * challenge.
	 */
	@Test
	void takesASignedDeliveryWithoutATokenAndRefusesAnUnsignedOneWithoutABearerChallenge() {
		StripePayload payload = payload("customer.subscription.created.json");

		EntityExchangeResult<Map<String, Object>> unsigned = deliver(payload.bytes(), null);

		assertThat(unsigned.getStatus().value()).isEqualTo(401);
		assertThat(unsigned.getResponseBody()).containsEntry("title", "Invalid webhook signature");
		assertThat(unsigned.getResponseHeaders().get(HttpHeaders.WWW_AUTHENTICATE)).isNull();
		assertThat(outcome(deliver(payload))).isEqualTo("applied");
		assertThat(deliveryRecorded(payload.eventId())).isTrue();
	}

	@Test
	void acceptsAHeaderWithTwoV1SignaturesOneOfThemValid() {
		StripePayload payload = payload("customer.subscription.created.json");
		long now = Instant.now().getEpochSecond();
		String signature = "t=" + now + ",v1="
				+ StripePayload.v1("whsec_the_secret_before_the_roll", now, payload.bytes()) + ",v1="
				+ StripePayload.v1(STRIPE_SECRET, now, payload.bytes());

		EntityExchangeResult<Map<String, Object>> accepted = deliver(payload.bytes(), signature);

		assertThat(accepted.getStatus().value()).isEqualTo(200);
		assertThat(outcome(accepted)).isEqualTo("applied");
		assertThat(recordsUntil(payload.eventId())).hasSize(1);
	}

	@Test
	void writesEachEventOnceHoweverOftenStripeDeliversIt() {
		List<StripePayload> events = List.of(payload("customer.subscription.created.json"),
				payload("customer.subscription.updated.json"), payload("invoice.payment_failed.json"),
				payload("invoice.paid.json"), payload("customer.subscription.updated.pause-collection.json"),
				payload("customer.subscription.updated.cancel-at-period-end.json"),
				payload("customer.subscription.deleted.json"));

		for (StripePayload event : events) {
			assertThat(outcome(deliver(event))).as(event.type()).isEqualTo("applied");
			assertThat(outcome(deliver(event))).as("the retry of " + event.type()).isEqualTo("replayed");
		}

		String last = events.get(events.size() - 1).eventId();
		assertThat(recordsUntil(last)).extracting(BillingSubscriptionChanged::getEventId)
			.containsExactlyElementsOf(events.stream().map(StripeWebhookIntegrationTests::eventId).toList());
		assertThat(this.jdbc.queryForList(
				"select event_name from webhook_delivery where provider = 'stripe' and delivery_id = ?", String.class,
				events.get(0).eventId()))
			.containsExactly("customer.subscription.created");
	}

	@Test
	void writesTheSnapshotOfEachSubscriptionEventByItsStatus() {
		StripePayload created = payload("customer.subscription.created.json");
		StripePayload pastDue = payload("customer.subscription.updated.json");
		StripePayload collectionPaused = payload("customer.subscription.updated.pause-collection.json");
		StripePayload canceledAtPeriodEnd = payload("customer.subscription.updated.cancel-at-period-end.json");
		StripePayload deleted = payload("customer.subscription.deleted.json");
		List.of(created, pastDue, collectionPaused, canceledAtPeriodEnd, deleted).forEach(this::deliver);

		List<BillingSubscriptionChanged> records = recordsUntil(deleted.eventId());

		assertThat(records).hasSize(5).allSatisfy((record) -> {
			assertThat(record.getProvider()).isEqualTo("stripe");
			assertThat(record.getProviderSubscriptionId()).isEqualTo(this.subscription);
			assertThat(record.getCustomerId()).isEqualTo(this.customer.toString());
			assertThat(record.getProductId()).isEqualTo(this.product.toString());
			assertThat(record.getInvoice()).isNull();
		});
		assertThat(records.get(0)).returns("active", BillingSubscriptionChanged::getStatus)
			.returns(Instant.ofEpochSecond(created.created()), BillingSubscriptionChanged::getOccurredAt)
			.returns(Instant.parse("2025-06-01T08:00:00Z"), BillingSubscriptionChanged::getCurrentPeriodEnd);
		assertThat(records.get(1)).returns("past_due", BillingSubscriptionChanged::getStatus)
			.returns(Instant.parse("2025-07-01T08:00:00Z"), BillingSubscriptionChanged::getCurrentPeriodEnd);
		assertThat(records.get(2)).as("pause_collection on an active subscription: access kept")
			.returns("paused", BillingSubscriptionChanged::getStatus)
			.returns("free", BillingSubscriptionChanged::getPauseMode)
			.returns(Instant.parse("2025-07-01T08:00:00Z"), BillingSubscriptionChanged::getResumesAt);
		assertThat(records.get(3)).returns("active", BillingSubscriptionChanged::getStatus)
			.returns(true, BillingSubscriptionChanged::getCancelAtPeriodEnd)
			.returns(Instant.parse("2025-07-01T08:00:00Z"), BillingSubscriptionChanged::getEndsAt);
		assertThat(records.get(4)).returns("canceled", BillingSubscriptionChanged::getStatus)
			.returns(false, BillingSubscriptionChanged::getCancelAtPeriodEnd)
			.returns(Instant.parse("2025-07-01T08:00:00Z"), BillingSubscriptionChanged::getEndsAt);
	}

	@Test
	void suspendsAccessOfAPausedSubscriptionAndRestoresItWhenResumed() {
		StripePayload paused = payload("customer.subscription.paused.json");
		StripePayload resumed = payload("customer.subscription.resumed.json");
		deliver(paused);
		deliver(resumed);

		List<BillingSubscriptionChanged> records = recordsUntil(resumed.eventId());

		assertThat(records).hasSize(2);
		assertThat(records.get(0)).returns("paused", BillingSubscriptionChanged::getStatus)
			.returns("void", BillingSubscriptionChanged::getPauseMode)
			.returns(null, BillingSubscriptionChanged::getResumesAt);
		assertThat(records.get(1)).returns("active", BillingSubscriptionChanged::getStatus)
			.returns(null, BillingSubscriptionChanged::getPauseMode);
	}

	@Test
	void takesTheSubscriptionOfAnInvoiceFromItsParentFromApiVersion20250331() {
		subscriptionCreated();
		StripePayload paid = payload("invoice.paid.json");

		assertThat(outcome(deliver(paid))).isEqualTo("applied");

		BillingSubscriptionChanged record = last(recordsUntil(paid.eventId()), 2);
		assertThat(record.getProviderSubscriptionId()).isEqualTo(this.subscription).isNotEqualTo(paid.objectId());
		assertInvoiceOnly(record, paid.objectId(), "paid");
	}

	@Test
	void takesTheSubscriptionOfAnInvoiceFromItsSubscriptionFieldBeforeApiVersion20250331() {
		subscriptionCreated();
		StripePayload paid = payload("invoice.paid.2024-06-20.json");

		assertThat(outcome(deliver(paid))).isEqualTo("applied");

		BillingSubscriptionChanged record = last(recordsUntil(paid.eventId()), 2);
		assertThat(record.getProviderSubscriptionId()).isEqualTo(this.subscription).isNotEqualTo(paid.objectId());
		assertInvoiceOnly(record, paid.objectId(), "paid");
	}

	@Test
	void givesTheEventsAboutOnePaymentTheSameProviderInvoiceId() {
		StripePayload failed = payload("invoice.payment_failed.json");
		StripePayload paid = payload("invoice.paid.json");
		StripePayload succeeded = paid.replacing("invoice.paid", "invoice.payment_succeeded").asNewEvent();
		assertThat(failed.objectId()).isEqualTo(paid.objectId()).isEqualTo(succeeded.objectId());
		subscriptionCreated();

		assertThat(outcome(deliver(failed))).isEqualTo("applied");
		assertThat(outcome(deliver(succeeded))).as("invoice.payment_succeeded, sent with invoice.paid")
			.isEqualTo("ignored");
		assertThat(outcome(deliver(paid))).isEqualTo("applied");

		List<BillingSubscriptionChanged> records = recordsUntil(paid.eventId());
		assertThat(records).hasSize(3);
		assertInvoiceOnly(records.get(1), failed.objectId(), "open");
		assertInvoiceOnly(records.get(2), failed.objectId(), "paid");
	}

	@Test
	void acknowledgesAndCountsEventsItDoesNotFollowWithoutStoringThem() {
		StripePayload trialEnding = payload("customer.subscription.created.json")
			.replacing("customer.subscription.created", "customer.subscription.trial_will_end");
		double before = ignoredCount("customer.subscription.trial_will_end");

		EntityExchangeResult<Map<String, Object>> acknowledged = deliver(trialEnding);

		assertThat(acknowledged.getStatus().value()).isEqualTo(200);
		assertThat(acknowledged.getResponseBody()).containsEntry("id", trialEnding.eventId())
			.containsEntry("type", "customer.subscription.trial_will_end")
			.containsEntry("outcome", "ignored");
		assertThat(ignoredCount("customer.subscription.trial_will_end")).isEqualTo(before + 1);
		assertThat(deliveryRecorded(trialEnding.eventId())).isFalse();
	}

	@Test
	void refusesMalformedJsonWithAValidSignatureAsBadRequest() {
		byte[] body = "{\"id\": \"evt_1RKbTBHk2xV9wQpLcR3aTeD1\", \"object\": \"event\","
			.getBytes(StandardCharsets.UTF_8);

		EntityExchangeResult<Map<String, Object>> refused = deliver(body,
				StripePayload.signature(STRIPE_SECRET, Instant.now().getEpochSecond(), body));

		assertThat(refused.getStatus().value()).isEqualTo(400);
		assertThat(refused.getResponseBody()).containsEntry("title", "Malformed webhook payload");
		assertThat(deliveryRecorded("evt_1RKbTBHk2xV9wQpLcR3aTeD1")).isFalse();
	}

	@Test
	void refusesABodyOverOneMegabyteUnread() {
		StripePayload payload = payload("customer.subscription.created.json");
		byte[] padded = Arrays.copyOf(payload.bytes(), 1024 * 1024 + 1);
		Arrays.fill(padded, payload.bytes().length, padded.length, (byte) ' ');

		EntityExchangeResult<Map<String, Object>> refused = deliver(padded,
				StripePayload.signature(STRIPE_SECRET, Instant.now().getEpochSecond(), padded));

		assertThat(refused.getStatus().value()).isEqualTo(413);
		assertThat(refused.getResponseBody()).containsEntry("title", "Webhook payload too large");
		assertThat(deliveryRecorded(payload.eventId())).isFalse();
	}

	/**
	 * The payload of {@code file} as a new event about this test's subscription, customer
	 * and product, and its own invoices.
	 */
	private StripePayload payload(String file) {
		StripePayload payload = StripePayload.of(file)
			.about(this.subscription, this.customer, this.product)
			.asNewEvent();
		if (payload.objectId().startsWith("in_")) {
			payload = payload
				.withObjectId(this.invoices.computeIfAbsent(payload.objectId(), (id) -> StripePayload.newId("in_")));
		}
		return payload;
	}

	/**
	 * Delivers the subscription's {@code customer.subscription.created} first, as Stripe
	 * does: its invoices' records then find the subscription they are about.
	 */
	private void subscriptionCreated() {
		assertThat(outcome(deliver(payload("customer.subscription.created.json")))).isEqualTo("applied");
	}

	private EntityExchangeResult<Map<String, Object>> deliver(StripePayload payload) {
		return deliver(payload.bytes(),
				StripePayload.signature(STRIPE_SECRET, Instant.now().getEpochSecond(), payload.bytes()));
	}

	private EntityExchangeResult<Map<String, Object>> deliver(byte[] body, @Nullable String signature) {
		RestTestClient.RequestBodySpec request = this.client.post()
			.uri("/webhooks/stripe")
			.contentType(MediaType.APPLICATION_JSON);
		if (signature != null) {
			request.header(StripeSignature.HEADER, signature);
		}
		return ApiResponses.call(request.body(body));
	}

	private static @Nullable Object outcome(EntityExchangeResult<Map<String, Object>> response) {
		assertThat(response.getStatus().value()).as("status of %s", response.getResponseBody()).isEqualTo(200);
		return ApiResponses.body(response).get("outcome");
	}

	private boolean deliveryRecorded(String eventId) {
		return this.jdbc.queryForObject(
				"select count(*) from webhook_delivery where provider = 'stripe' and delivery_id = ?", Integer.class,
				eventId) > 0;
	}

	private double ignoredCount(String type) {
		Counter counter = this.meters.find("billing.webhook.deliveries")
			.tags("provider", "stripe", "event", type, "outcome", "ignored")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	/**
	 * This subscription's records on billing.events, once the one of the Stripe event
	 * {@code eventId} is there: they share a key, so a record written before it is there
	 * too.
	 */
	private List<BillingSubscriptionChanged> recordsUntil(String eventId) {
		String id = WebhookDeliveries.eventId(BillingChange.STRIPE, eventId).toString();
		return await().atMost(Duration.ofSeconds(60))
			.until(this::records, (records) -> records.stream().anyMatch((record) -> record.getEventId().equals(id)));
	}

	private List<BillingSubscriptionChanged> records() {
		String key = Topic.billingKey(BillingChange.STRIPE, this.subscription);
		List<BillingSubscriptionChanged> records = new ArrayList<>();
		for (EventTopics.Decoded record : this.topics.decoded(Topic.BILLING_EVENTS.topicName())) {
			if (key.equals(record.key())) {
				records.add(record.value(BillingSubscriptionChanged.class));
			}
		}
		return records;
	}

	private void assertInvoiceOnly(BillingSubscriptionChanged record, String invoiceId, String status) {
		assertThat(record.getStatus()).as("an invoice event carries no snapshot").isNull();
		assertThat(record.getCustomerId()).isEqualTo(this.customer.toString());
		assertThat(record.getProductId()).isEqualTo(this.product.toString());
		assertThat(record.getInvoice()).isNotNull()
			.returns(invoiceId, BillingInvoice::getProviderInvoiceId)
			.returns(status, BillingInvoice::getStatus)
			.returns(1999L, BillingInvoice::getAmount)
			.returns("EUR", BillingInvoice::getCurrency);
	}

	private static String eventId(StripePayload payload) {
		return WebhookDeliveries.eventId(BillingChange.STRIPE, payload.eventId()).toString();
	}

	/** The last of {@code records}, which must be {@code count}. */
	private static BillingSubscriptionChanged last(List<BillingSubscriptionChanged> records, int count) {
		assertThat(records).hasSize(count);
		return records.get(count - 1);
	}

	private static String randomHex() {
		byte[] bytes = new byte[32];
		ThreadLocalRandom.current().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}
