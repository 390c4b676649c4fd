package dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.ControllerAdvice;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.billing.BillingSubscriptionChanged;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.subscriptionservice.SubscriptionServiceSettings;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.subscriptionservice.subscription.webhook.Signatures;
import dev.subscriptions.subscriptionservice.subscription.webhook.WebhookDeliveries;
import dev.subscriptions.subscriptionservice.subscription.webhook.lemonsqueezy.LemonSqueezyPayloads.Delivery;

/**
 * {@code POST /webhooks/lemon-squeezy} against the real database, outbox relay, broker
 * and registry: what a delivery writes to {@code billing.events} (read back from the
 * broker), to {@code webhook_delivery} and {@code provider_order}, and what a refused one
 * does not.
 * <p>
 * That nothing reached {@code billing.events} is shown without waiting for a time: after
 * the delivery in question a correctly signed one follows for the same subscription, and
 * once that one is on the topic (same key, so same partition, in order) the records
 * before it are all there are.
 */
@SubscriptionServiceIntegrationTest
class LemonSqueezyWebhookIntegrationTests {

	private static final String SECRET = SubscriptionServiceIntegrationTest.LEMON_SQUEEZY_SECRET;

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

	@Autowired
	SubscriptionServiceSettings settings;

	@Autowired
	ObjectMapper json;

	@Autowired
	LemonSqueezyDeliveries deliveries;

	@Autowired
	ApplicationContext context;

	private LemonSqueezyPayloads purchase;

	@BeforeEach
	void knowTheCustomer() {
		UUID customer = UUID.randomUUID();
		this.customers.recordCreated(new KnownCustomers.Created(customer, UUID.randomUUID(), Instant.now()));
		this.purchase = new LemonSqueezyPayloads(customer, UUID.randomUUID());
	}

	static Stream<Arguments> refusedSignatures() {
		Function<Delivery, byte[]> same = Delivery::body;
		return Stream.of(
				Arguments.of("a forged signature", signature(d -> HexFormat.of().formatHex(new byte[32])), same),
				Arguments.of("another secret's signature",
						signature(d -> LemonSqueezyPayloads.sign(d.body(), "another-secret")), same),
				Arguments.of("one byte of the body flipped", signed(), (Function<Delivery, byte[]>) d -> {
					byte[] flipped = Arrays.copyOf(d.body(), d.body().length);
					flipped[flipped.length / 2] ^= 0x01;
					return flipped;
				}), Arguments.of("the body re-serialized", signed(), (Function<Delivery, byte[]>) d -> reserialized(d)),
				Arguments.of("no signature", signature(d -> null), same), Arguments.of("a signature that is not hex",
						signature(d -> "sha256=" + LemonSqueezyPayloads.sign(d.body(), SECRET)), same));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusedSignatures")
	void refusesADeliveryWithoutItsSignatureAndStoresNothing(String what,
			Function<Delivery, @Nullable String> signature, Function<Delivery, byte[]> sent) {
		Delivery paused = this.purchase.delivery("subscription_paused_void");

		EntityExchangeResult<String> refused = post(sent.apply(paused), signature.apply(paused));

		assertThat(refused.getStatus().value()).isEqualTo(401);
		assertThat(refused.getResponseBody()).contains("Invalid webhook signature");
		assertThat(deliveriesRecorded(paused.webhookId())).isZero();
		assertThat(recordsAfterAFollowingDelivery()).isEmpty();
	}

	/**
	 * The webhook is open on the API's port: Lemon Squeezy sends no bearer token, and the
	 * signature alone decides. A refusal is the webhook's own, without a bearer
	 * challenge.
	 */
	@Test
	void takesASignedDeliveryWithoutATokenAndRefusesAnUnsignedOneWithoutABearerChallenge() {
		Delivery paused = this.purchase.delivery("subscription_paused_void");

		EntityExchangeResult<String> unsigned = post(paused.body(), null);
		EntityExchangeResult<String> signed = post(paused);

		assertThat(unsigned.getStatus().value()).isEqualTo(401);
		assertThat(unsigned.getResponseBody()).contains("Invalid webhook signature");
		assertThat(unsigned.getResponseHeaders().get(HttpHeaders.WWW_AUTHENTICATE)).isNull();
		assertThat(signed.getStatus().value()).isEqualTo(200);
		assertThat(deliveriesRecorded(paused.webhookId())).isOne();
	}

	@Test
	void appliesADeliveryDeliveredTwiceOnce() {
		Delivery paused = this.purchase.delivery("subscription_paused_void");

		assertThat(post(paused).getStatus().value()).isEqualTo(200);
		assertThat(post(paused).getStatus().value()).isEqualTo(200);

		assertThat(deliveriesRecorded(paused.webhookId())).isOne();
		assertThat(recordsAfterAFollowingDelivery()).singleElement()
			.returns(eventId(paused).toString(), BillingSubscriptionChanged::getEventId);
	}

	@Test
	void identifiesADeliveryWithoutWebhookIdByItsBody() {
		Delivery delivery = this.purchase.delivery("subscription_paused_void");
		Delivery withoutId = delivery.replacing("\"webhook_id\": \"" + delivery.webhookId() + "\",", "");

		assertThat(post(withoutId).getStatus().value()).isEqualTo(200);
		assertThat(post(withoutId).getStatus().value()).isEqualTo(200);

		String sha256 = Signatures.sha256Hex(withoutId.body());
		assertThat(deliveriesRecorded(sha256)).isOne();
		assertThat(recordsAfterAFollowingDelivery()).singleElement()
			.returns(WebhookDeliveries.eventId("lemon_squeezy", sha256).toString(),
					BillingSubscriptionChanged::getEventId);
	}

	@Test
	void putsTheIdsOfAnOrderASubscriptionAndAnInvoiceOfOnePurchaseInTheirPlaces() {
		Delivery order = this.purchase.delivery("order_created");
		Delivery subscription = this.purchase.delivery("subscription_created");
		Delivery payment = this.purchase.delivery("subscription_payment_success");

		assertThat(post(order).getStatus().value()).isEqualTo(200);
		assertThat(post(subscription).getStatus().value()).isEqualTo(200);
		assertThat(post(payment).getStatus().value()).isEqualTo(200);

		assertThat(this.jdbc.queryForList("""
				select provider_order_id, customer_id, product_id, provider_customer_id, status, total, currency
				from provider_order where provider = 'lemon_squeezy' and provider_order_id in (?, ?, ?)""",
				this.purchase.orderId, this.purchase.subscriptionId, payment.invoiceId()))
			.singleElement()
			.isEqualTo(Map.of("provider_order_id", this.purchase.orderId, "customer_id", this.purchase.customerId,
					"product_id", this.purchase.productId, "provider_customer_id", this.purchase.providerCustomerId,
					"status", "paid", "total", 1999L, "currency", "EUR"));
		List<BillingSubscriptionChanged> records = awaitRecords(this.purchase.subscriptionId, 2);
		assertThat(records).hasSize(2).allSatisfy(record -> {
			assertThat(record.getProvider()).isEqualTo("lemon_squeezy");
			assertThat(record.getProviderSubscriptionId()).isEqualTo(this.purchase.subscriptionId);
			assertThat(record.getCustomerId()).isEqualTo(this.purchase.customerId.toString());
			assertThat(record.getProductId()).isEqualTo(this.purchase.productId.toString());
		});
		assertThat(records.get(0)).returns(eventId(subscription).toString(), BillingSubscriptionChanged::getEventId)
			.returns("active", BillingSubscriptionChanged::getStatus)
			.returns(null, BillingSubscriptionChanged::getInvoice);
		assertThat(records.get(1)).returns(eventId(payment).toString(), BillingSubscriptionChanged::getEventId)
			.returns(null, BillingSubscriptionChanged::getStatus);
		assertThat(records.get(1).getInvoice().getProviderInvoiceId()).isEqualTo(payment.invoiceId());
		assertThat(records.get(1).getInvoice().getStatus()).isEqualTo("paid");
		assertThat(recordsOf(this.purchase.orderId)).isEmpty();
		assertThat(recordsOf(payment.invoiceId())).isEmpty();
		assertThat(deliveriesRecorded(order.webhookId())).isOne();
	}

	@Test
	void recordsARefundOfAnOrderAndKeepsItWhenTheOrderIsDeliveredLate() {
		Delivery created = this.purchase.delivery("order_created");
		Delivery refunded = this.purchase.delivery("order_refunded");

		assertThat(post(refunded).getStatus().value()).isEqualTo(200);
		assertThat(post(created).getStatus().value()).isEqualTo(200);

		assertThat(this.jdbc.queryForObject(
				"select status from provider_order where provider = 'lemon_squeezy' and provider_order_id = ?",
				String.class, this.purchase.orderId))
			.isEqualTo("refunded");
	}

	@Test
	void writesAPausedSubscriptionAsASnapshotOfItsPauseModeWhicheverEventCarriesIt() {
		Delivery voided = this.purchase.delivery("subscription_paused_void");
		Delivery updated = this.purchase
			.delivery("subscription_paused_void",
					Map.of("updated_at", voided.value("updated_at"), "renews_at", voided.value("renews_at")))
			.replacing("\"event_name\": \"subscription_paused\"", "\"event_name\": \"subscription_updated\"");
		Delivery free = this.purchase.delivery("subscription_paused_free");
		Delivery unpaused = this.purchase.delivery("subscription_unpaused");

		for (Delivery delivery : List.of(voided, updated, free, unpaused)) {
			assertThat(post(delivery).getStatus().value()).as(delivery.name()).isEqualTo(200);
		}

		List<BillingSubscriptionChanged> records = awaitRecords(this.purchase.subscriptionId, 4);
		assertThat(records).extracting(BillingSubscriptionChanged::getEventId)
			.containsExactly(eventId(voided).toString(), eventId(updated).toString(), eventId(free).toString(),
					eventId(unpaused).toString());
		assertThat(records.get(0)).returns("paused", BillingSubscriptionChanged::getStatus)
			.returns("void", BillingSubscriptionChanged::getPauseMode)
			.returns(null, BillingSubscriptionChanged::getResumesAt)
			.returns(voided.updatedAt(), BillingSubscriptionChanged::getOccurredAt);
		assertThat(withoutEventId(records.get(1))).isEqualTo(withoutEventId(records.get(0)));
		assertThat(records.get(2)).returns("paused", BillingSubscriptionChanged::getStatus)
			.returns("free", BillingSubscriptionChanged::getPauseMode)
			.returns(Instant.parse(free.value("resumes_at")), BillingSubscriptionChanged::getResumesAt);
		assertThat(records.get(3)).returns("active", BillingSubscriptionChanged::getStatus)
			.returns(null, BillingSubscriptionChanged::getPauseMode)
			.returns(null, BillingSubscriptionChanged::getResumesAt);
	}

	@Test
	void refusesABodyOverOneMegabyteAndStoresNothing() {
		Delivery paused = this.purchase.delivery("subscription_paused_void");
		byte[] large = new byte[1024 * 1024 + 1];
		Arrays.fill(large, (byte) ' ');
		System.arraycopy(paused.body(), 0, large, 0, paused.body().length);

		EntityExchangeResult<String> refused = post(large, LemonSqueezyPayloads.sign(large, SECRET));

		assertThat(refused.getStatus().value()).isEqualTo(413);
		assertThat(deliveriesRecorded(paused.webhookId())).isZero();
		assertThat(recordsAfterAFollowingDelivery()).isEmpty();
	}

	@Test
	void refusesMalformedJsonWithAValidSignatureAsBadRequest() {
		byte[] malformed = "{\"meta\": {\"event_name\": \"subscription_paused\"".getBytes(StandardCharsets.UTF_8);

		EntityExchangeResult<String> refused = post(malformed, LemonSqueezyPayloads.sign(malformed, SECRET));

		assertThat(refused.getStatus().value()).isEqualTo(400);
		assertThat(refused.getResponseBody()).contains("Malformed webhook payload");
	}

	@Test
	void refusesAnInvoiceWithoutItsSubscriptionAsBadRequestRatherThanTakingItsId() {
		Delivery payment = this.purchase.delivery("subscription_payment_success");
		Delivery withoutSubscription = payment.replacing("\"subscription_id\": " + this.purchase.subscriptionId + ",",
				"");

		EntityExchangeResult<String> refused = post(withoutSubscription);

		assertThat(refused.getStatus().value()).isEqualTo(400);
		assertThat(refused.getResponseBody()).contains("data.attributes.subscription_id is missing");
		assertThat(deliveriesRecorded(payment.webhookId())).isZero();
		assertThat(recordsOf(payment.invoiceId())).isEmpty();
	}

	@Test
	void acknowledgesAndIgnoresAnEventOfTheOtherMode() {
		Delivery paused = this.purchase.delivery("subscription_paused_void")
			.replacing("\"test_mode\": false", "\"test_mode\": true");
		double ignoredBefore = ignored("subscription_paused");

		assertThat(post(paused).getStatus().value()).isEqualTo(200);

		assertThat(ignored("subscription_paused")).isEqualTo(ignoredBefore + 1);
		assertThat(deliveriesRecorded(paused.webhookId())).isZero();
		assertThat(recordsAfterAFollowingDelivery()).isEmpty();
	}

	@Test
	void acknowledgesAndCountsAnEventItDoesNotHandle() {
		Delivery licenseKey = this.purchase.delivery("license_key_created");
		double ignoredBefore = ignored("license_key_created");

		assertThat(post(licenseKey).getStatus().value()).isEqualTo(200);

		assertThat(ignored("license_key_created")).isEqualTo(ignoredBefore + 1);
		assertThat(deliveriesRecorded(licenseKey.webhookId())).isZero();
	}

	/**
	 * The webhook of a service without a signing secret, in front of this one's database
	 * and outbox, and answering through its problem advice: the endpoint does not exist.
	 */
	@Test
	void answersNotFoundWithoutASigningSecretAndStoresNothing() {
		SubscriptionServiceSettings unconfigured = new SubscriptionServiceSettings(this.settings.topic(),
				this.settings.periodEnd(), this.settings.webhooks(),
				new SubscriptionServiceSettings.LemonSqueezy(null, false), this.settings.stripe());
		MockMvc webhook = MockMvcBuilders
			.standaloneSetup(new LemonSqueezyWebhook(unconfigured, this.json, this.deliveries))
			.setControllerAdvice(this.context.getBeansWithAnnotation(ControllerAdvice.class).values().toArray())
			.build();
		Delivery paused = this.purchase.delivery("subscription_paused_void");

		EntityExchangeResult<String> refused = post(RestTestClient.bindTo(webhook).build(), paused.body(),
				LemonSqueezyPayloads.sign(paused.body(), SECRET));

		assertThat(refused.getStatus().value()).isEqualTo(404);
		assertThat(refused.getResponseBody()).contains("Webhook not configured");
		assertThat(deliveriesRecorded(paused.webhookId())).isZero();
		assertThat(recordsAfterAFollowingDelivery()).isEmpty();
	}

	private EntityExchangeResult<String> post(Delivery delivery) {
		return post(delivery.body(), LemonSqueezyPayloads.sign(delivery.body(), SECRET));
	}

	private EntityExchangeResult<String> post(byte[] body, @Nullable String signature) {
		return post(this.client, body, signature);
	}

	private static EntityExchangeResult<String> post(RestTestClient client, byte[] body, @Nullable String signature) {
		return client.post().uri("/webhooks/lemon-squeezy").contentType(MediaType.APPLICATION_JSON).headers(headers -> {
			if (signature != null) {
				headers.set(LemonSqueezyWebhook.SIGNATURE, signature);
			}
		}).body(body).exchange().returnResult(String.class);
	}

	/**
	 * The records of the subscription before a correctly signed delivery that follows now
	 * (a {@code subscription_updated}), once that one is on the topic.
	 */
	private List<BillingSubscriptionChanged> recordsAfterAFollowingDelivery() {
		Delivery following = this.purchase.delivery("subscription_updated_past_due");
		assertThat(post(following).getStatus().value()).isEqualTo(200);
		String followingId = eventId(following).toString();
		List<BillingSubscriptionChanged> records = await().atMost(Duration.ofSeconds(60))
			.until(() -> recordsOf(this.purchase.subscriptionId),
					found -> found.stream().anyMatch(record -> followingId.equals(record.getEventId())));
		assertThat(records.get(records.size() - 1).getEventId()).isEqualTo(followingId);
		return records.subList(0, records.size() - 1);
	}

	private List<BillingSubscriptionChanged> awaitRecords(String providerSubscriptionId, int count) {
		return await().atMost(Duration.ofSeconds(60))
			.until(() -> recordsOf(providerSubscriptionId), found -> found.size() >= count);
	}

	/**
	 * The records of {@code billing.events} keyed by the Lemon Squeezy subscription, in
	 * order.
	 */
	private List<BillingSubscriptionChanged> recordsOf(String providerSubscriptionId) {
		String key = Topic.billingKey("lemon_squeezy", providerSubscriptionId);
		return this.topics.decoded(Topic.BILLING_EVENTS.topicName())
			.stream()
			.filter(record -> key.equals(record.key()))
			.map(record -> record.value(BillingSubscriptionChanged.class))
			.toList();
	}

	private int deliveriesRecorded(String deliveryId) {
		Integer count = this.jdbc.queryForObject(
				"select count(*) from webhook_delivery where provider = 'lemon_squeezy' and delivery_id = ?",
				Integer.class, deliveryId);
		return (count != null) ? count : 0;
	}

	private double ignored(String eventName) {
		Counter counter = this.meters.find("billing.webhook.deliveries")
			.tags("provider", "lemon_squeezy", "event", eventName, "outcome", "ignored")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static UUID eventId(Delivery delivery) {
		return WebhookDeliveries.eventId("lemon_squeezy", delivery.webhookId());
	}

	private static BillingSubscriptionChanged withoutEventId(BillingSubscriptionChanged record) {
		return BillingSubscriptionChanged.newBuilder(record).setEventId("-").build();
	}

	private static byte[] reserialized(Delivery delivery) {
		ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		JsonNode tree = json.readTree(delivery.body());
		byte[] reserialized = json.writeValueAsBytes(tree);
		assertThat(reserialized).isNotEqualTo(delivery.body());
		assertThat(json.readTree(reserialized)).isEqualTo(tree);
		return reserialized;
	}

	private static Function<Delivery, @Nullable String> signed() {
		return delivery -> LemonSqueezyPayloads.sign(delivery.body(), SECRET);
	}

	private static Function<Delivery, @Nullable String> signature(Function<Delivery, @Nullable String> signature) {
		return signature;
	}

}
