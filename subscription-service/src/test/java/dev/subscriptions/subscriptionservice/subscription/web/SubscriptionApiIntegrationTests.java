package dev.subscriptions.subscriptionservice.subscription.web;

import static dev.subscriptions.web.test.ApiResponses.list;
import static dev.subscriptions.web.test.ApiResponses.errors;
import static dev.subscriptions.web.test.ApiResponses.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.subscription.SubscriptionCanceled;
import dev.subscriptions.events.subscription.SubscriptionCreated;
import dev.subscriptions.events.subscription.SubscriptionEnded;
import dev.subscriptions.events.subscription.SubscriptionPastDue;
import dev.subscriptions.schemas.Topic;
import dev.subscriptions.subscriptionservice.SubscriptionServiceIntegrationTest;
import dev.subscriptions.subscriptionservice.customer.KnownCustomers;
import dev.subscriptions.web.security.ApiScopes;
import dev.subscriptions.web.test.TestTokens;

/**
 * The subscriptions API over HTTP, against real PostgreSQL and Kafka.
 */
@SubscriptionServiceIntegrationTest
class SubscriptionApiIntegrationTests {

	@Autowired
	EventTopics topics;

	@Autowired
	RestTestClient server;

	@Autowired
	KnownCustomers customers;

	@Autowired
	JdbcTemplate jdbc;

	private final UUID organization = UUID.randomUUID();

	private UUID customer;

	/** Sends a token of the organization that may do everything with subscriptions. */
	private RestTestClient client;

	@BeforeEach
	void knowACustomer() {
		this.client = TestTokens.authorized(this.server, this.organization, ApiScopes.SUBSCRIPTIONS_WRITE,
				ApiScopes.SUBSCRIPTIONS_ADMIN);
		this.customer = UUID.randomUUID();
		this.customers.recordCreated(new KnownCustomers.Created(this.customer, this.organization, Instant.now()));
	}

	@Test
	void createsAnActiveSubscriptionForAKnownCustomer() {
		EntityExchangeResult<Map<String, Object>> created = create(this.customer, 0);

		assertThat(created.getStatus().value()).isEqualTo(201);
		assertThat(created.getResponseHeaders().getLocation())
			.hasPath("/subscriptions/" + created.getResponseBody().get("id"));
		assertThat(created.getResponseBody()).containsEntry("status", "active")
			.containsEntry("organizationId", this.organization.toString())
			.containsEntry("amount", 1999)
			.containsEntry("currency", "EUR");
		assertThat(create(this.customer, 14).getResponseBody()).containsEntry("status", "trialing");
	}

	@Test
	void cancelsAnActiveSubscriptionAtTheEndOfItsPeriod() {
		String id = id(create(this.customer, 0));

		Map<String, Object> canceled = post(id, "cancel", Map.of("reason", "too_expensive")).getResponseBody();

		assertThat(canceled).containsEntry("status", "active").containsEntry("cancelAtPeriodEnd", true);
		assertThat(canceled.get("endsAt")).isEqualTo(canceled.get("currentPeriodEnd"));
	}

	@Test
	void keepsTheReasonAndCommentOfACancellation() {
		String id = id(create(this.customer, 0));

		Map<String, Object> canceled = post(id, "cancel",
				Map.of("immediately", true, "reason", "too_expensive", "comment", "Half the price and I stay"))
			.getResponseBody();

		assertThat(canceled).containsEntry("status", "canceled")
			.containsEntry("cancellationReason", "too_expensive")
			.containsEntry("cancellationComment", "Half the price and I stay");
		assertThat(get(id)).containsEntry("cancellationReason", "too_expensive")
			.containsEntry("cancellationComment", "Half the price and I stay");
	}

	@Test
	void refusesACancellationCommentTheDatabaseCannotStoreAsBadRequest() {
		String id = id(create(this.customer, 0));

		EntityExchangeResult<Map<String, Object>> refused = post(id, "cancel", Map.of("comment", "NUL\u0000inside"));

		assertThat(refused.getStatus().value()).isEqualTo(400);
		assertThat(refused.getResponseBody()).containsEntry("title", "Invalid value");
		assertThat(get(id)).containsEntry("status", "active").containsEntry("cancelAtPeriodEnd", false);
	}

	@Test
	void refusesToCancelAtPeriodEndOnceThePeriodHasEndedTellingToCancelImmediately() {
		String id = id(create(this.customer, 0));
		this.jdbc.update("update subscription set current_period_end = now() - interval '1 day' where id = ?::uuid",
				id);

		EntityExchangeResult<Map<String, Object>> atPeriodEnd = post(id, "cancel", Map.of("reason", "unused"));

		assertThat(atPeriodEnd.getStatus().value()).isEqualTo(409);
		assertThat(atPeriodEnd.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(atPeriodEnd.getResponseBody()).containsEntry("currentStatus", "active")
			.containsEntry("action", "cancel_at_period_end");
		assertThat((String) atPeriodEnd.getResponseBody().get("detail")).contains("cancel it immediately");
		assertThat(get(id)).containsEntry("cancelAtPeriodEnd", false).containsEntry("cancellationReason", null);
		assertThat(post(id, "cancel", Map.of("immediately", true)).getResponseBody()).containsEntry("status",
				"canceled");
	}

	@Test
	void uncancelsASubscriptionCanceledAtPeriodEnd() {
		String id = id(create(this.customer, 0));
		post(id, "cancel", Map.of("reason", "too_expensive", "comment", "maybe later"));

		EntityExchangeResult<Map<String, Object>> uncanceled = post(id, "uncancel", null);

		assertThat(uncanceled.getStatus().value()).isEqualTo(200);
		assertThat(uncanceled.getResponseBody()).containsEntry("status", "active")
			.containsEntry("cancelAtPeriodEnd", false)
			.containsEntry("endsAt", null)
			.containsEntry("canceledAt", null)
			.containsEntry("cancellationReason", null)
			.containsEntry("cancellationComment", null);
	}

	@Test
	void refusesToUncancelWhatIsNotCanceledAtPeriodEndStatingItsStatus() {
		String active = id(create(this.customer, 0));
		String canceled = id(create(this.customer, 0));
		post(canceled, "cancel", Map.of("immediately", true));

		EntityExchangeResult<Map<String, Object>> ofActive = post(active, "uncancel", null);
		EntityExchangeResult<Map<String, Object>> ofCanceled = post(canceled, "uncancel", null);

		assertThat(ofActive.getStatus().value()).isEqualTo(409);
		assertThat(ofActive.getResponseBody()).containsEntry("currentStatus", "active")
			.containsEntry("action", "uncancel");
		assertThat(ofCanceled.getStatus().value()).isEqualTo(409);
		assertThat(ofCanceled.getResponseBody()).containsEntry("currentStatus", "canceled");
	}

	/**
	 * The period-end job (every second here) may end the subscription before the uncancel
	 * arrives or after it; either way the uncancel is refused and the subscription ends.
	 */
	@Test
	void refusesToUncancelOnceTheCancellationHasComeDue() {
		String id = id(create(this.customer, 0));
		post(id, "cancel", null);
		this.jdbc.update("update subscription set ends_at = now() - interval '1 minute' where id = ?::uuid", id);

		EntityExchangeResult<Map<String, Object>> uncancel = post(id, "uncancel", null);

		assertThat(uncancel.getStatus().value()).isEqualTo(409);
		assertThat(uncancel.getResponseBody().get("currentStatus")).isIn("active", "canceled");
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(get(id)).containsEntry("status", "canceled"));
	}

	@Test
	void cancelsAnOverdueSubscriptionAndLeavesItsInvoiceOpen() {
		String id = id(create(this.customer, 0));
		assertThat(post(id, "payment-failed", null).getResponseBody()).containsEntry("status", "past_due");

		EntityExchangeResult<Map<String, Object>> canceled = post(id, "cancel", Map.of("immediately", true));

		assertThat(canceled.getStatus().value()).isEqualTo(200);
		assertThat(canceled.getResponseBody()).containsEntry("status", "canceled");
		List<Map<String, Object>> invoices = invoices(id);
		assertThat(invoices).singleElement().satisfies(invoice -> {
			assertThat(invoice).containsEntry("status", "open").containsEntry("amount", 1999);
			assertThat(invoice.get("paidAt")).isNull();
		});
	}

	@Test
	void cancelsAnOverdueSubscriptionAtPeriodEnd() {
		String id = id(create(this.customer, 0));
		post(id, "payment-failed", null);

		assertThat(post(id, "cancel", null).getResponseBody()).containsEntry("status", "past_due")
			.containsEntry("cancelAtPeriodEnd", true);
		assertThat(invoices(id)).singleElement()
			.satisfies(invoice -> assertThat(invoice).containsEntry("status", "open"));
	}

	@Test
	void paysTheOpenInvoiceWhenAPaymentSucceeds() {
		String id = id(create(this.customer, 0));
		post(id, "payment-failed", null);
		post(id, "payment-failed", null);

		assertThat(post(id, "payment-succeeded", null).getResponseBody()).containsEntry("status", "active");
		assertThat(invoices(id)).singleElement()
			.satisfies(invoice -> assertThat(invoice).containsEntry("status", "paid"));
	}

	@Test
	void refusesToCancelACanceledSubscriptionStatingItsStatus() {
		String id = id(create(this.customer, 0));
		post(id, "cancel", Map.of("immediately", true));

		EntityExchangeResult<Map<String, Object>> again = post(id, "cancel", null);

		assertThat(again.getStatus().value()).isEqualTo(409);
		assertThat(again.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(again.getResponseBody()).containsEntry("currentStatus", "canceled");
		assertThat((String) again.getResponseBody().get("detail")).contains("status canceled");
	}

	@Test
	void refusesToCancelARevokedSubscriptionStatingItsStatus() {
		String id = id(create(this.customer, 0));
		assertThat(post(id, "revoke", null).getResponseBody()).containsEntry("status", "revoked")
			.containsEntry("revokedReason", "revoked");

		EntityExchangeResult<Map<String, Object>> cancel = post(id, "cancel", Map.of("immediately", true));

		assertThat(cancel.getStatus().value()).isEqualTo(409);
		assertThat(cancel.getResponseBody()).containsEntry("currentStatus", "revoked");
		assertThat(post(id, "revoke", null).getStatus().value()).isEqualTo(200);
	}

	@Test
	void pausesAndResumesAndRefusesToResumeAnActiveSubscription() {
		String id = id(create(this.customer, 0));

		assertThat(post(id, "pause", Map.of("mode", "free")).getResponseBody()).containsEntry("status", "paused")
			.containsEntry("pauseMode", "free");
		assertThat(post(id, "resume", null).getResponseBody()).containsEntry("status", "active");
		EntityExchangeResult<Map<String, Object>> again = post(id, "resume", null);
		assertThat(again.getStatus().value()).isEqualTo(409);
		assertThat(again.getResponseBody()).containsEntry("currentStatus", "active");
	}

	@Test
	void refusesASubscriptionForAnUnknownOrDeletedCustomer() {
		UUID deleted = UUID.randomUUID();
		this.customers.recordCreated(new KnownCustomers.Created(deleted, this.organization, Instant.now()));
		this.customers.recordDeleted(new KnownCustomers.Deleted(deleted, this.organization, Instant.now()));

		EntityExchangeResult<Map<String, Object>> unknown = create(UUID.randomUUID(), 0);
		EntityExchangeResult<Map<String, Object>> ofDeleted = create(deleted, 0);

		assertThat(unknown.getStatus().value()).isEqualTo(422);
		assertThat(unknown.getResponseBody()).containsEntry("title", "Unknown customer");
		assertThat(ofDeleted.getStatus().value()).isEqualTo(409);
		assertThat(ofDeleted.getResponseBody()).containsEntry("title", "Customer deleted");
	}

	@Test
	void listsSubscriptionsOfACustomerByStatus() {
		String active = id(create(this.customer, 0));
		String revoked = id(create(this.customer, 0));
		post(revoked, "revoke", null);

		List<Map<String, Object>> all = list(this.client, "/subscriptions?customerId=" + this.customer);
		List<Map<String, Object>> onlyRevoked = list(this.client,
				"/subscriptions?customerId=" + this.customer + "&status=revoked");

		assertThat(all).extracting(subscription -> subscription.get("id")).containsExactly(active, revoked);
		assertThat(onlyRevoked).extracting(subscription -> subscription.get("id")).containsExactly(revoked);
	}

	@Test
	void listsTheEndedSubscriptionsOfACustomerToo() {
		String active = id(create(this.customer, 0));
		String canceled = id(create(this.customer, 0));
		post(canceled, "cancel", Map.of("immediately", true));
		String revoked = id(create(this.customer, 0));
		post(revoked, "revoke", null);
		this.customers.recordDeleted(new KnownCustomers.Deleted(this.customer, this.organization, Instant.now()));

		List<Map<String, Object>> all = list(this.client, "/subscriptions?customerId=" + this.customer);

		assertThat(all).extracting(subscription -> subscription.get("id"), subscription -> subscription.get("status"))
			.containsExactly(tuple(active, "active"), tuple(canceled, "canceled"), tuple(revoked, "revoked"));
		assertThat(list(this.client, "/subscriptions?customerId=" + this.customer + "&status=canceled"))
			.extracting(subscription -> subscription.get("id"))
			.containsExactly(canceled);
	}

	@Test
	void endsASubscriptionCanceledAtPeriodEndOnceThePeriodHasPassed() {
		String id = id(create(this.customer, 0));
		post(id, "cancel", null);
		this.jdbc.update("update subscription set ends_at = now() - interval '1 minute' where id = ?::uuid", id);

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(get(id)).containsEntry("status", "canceled")
				.containsEntry("cancelAtPeriodEnd", false));
		assertThat(get(id).get("endedAt")).isNotNull();
	}

	@Test
	void publishesEachTransitionOnSubscriptionEventsInSequence() {
		String id = id(create(this.customer, 0));
		post(id, "payment-failed", null);
		post(id, "cancel", Map.of("immediately", true, "reason", "unpaid"));

		await().atMost(Duration.ofSeconds(20)).until(() -> ofSubscription(id).size() == 4);
		List<Object> events = ofSubscription(id);
		assertThat(events).extracting(event -> event.getClass().getSimpleName())
			.containsExactly("SubscriptionCreated", "SubscriptionPastDue", "SubscriptionCanceled", "SubscriptionEnded");
		assertThat(((SubscriptionCreated) events.get(0)).getSequence()).isEqualTo(1);
		assertThat(((SubscriptionPastDue) events.get(1)).getSequence()).isEqualTo(2);
		assertThat(((SubscriptionCanceled) events.get(2)).getReason()).isEqualTo("unpaid");
		assertThat(((SubscriptionEnded) events.get(3)).getReason()).isEqualTo("canceled");
		assertThat(((SubscriptionEnded) events.get(3)).getSequence()).isEqualTo(4);
	}

	static Stream<Arguments> badRequests() {
		String id = UUID.randomUUID().toString();
		return Stream.of(Arguments.of("malformed JSON", HttpMethod.POST, "/subscriptions", "{\"customerId\": "),
				Arguments.of("missing fields", HttpMethod.POST, "/subscriptions", "{\"customerId\": \"" + id + "\"}"),
				Arguments.of("negative amount", HttpMethod.POST, "/subscriptions",
						"{\"customerId\": \"" + id + "\", \"productId\": \"" + id
								+ "\", \"amount\": -1, \"currency\": \"EUR\"}"),
				Arguments.of("invalid currency", HttpMethod.POST, "/subscriptions",
						"{\"customerId\": \"" + id + "\", \"productId\": \"" + id
								+ "\", \"amount\": 1, \"currency\": \"euro\"}"),
				Arguments.of("invalid UUID", HttpMethod.POST, "/subscriptions",
						"{\"customerId\": \"x\", " + "\"productId\": \"" + id
								+ "\", \"amount\": 1, \"currency\": \"EUR\"}"),
				Arguments.of("invalid pause mode", HttpMethod.POST, "/subscriptions/" + id + "/pause",
						"{\"mode\": \"forever\"}"),
				Arguments.of("wrong type", HttpMethod.POST, "/subscriptions/" + id + "/cancel",
						"{\"immediately\": [true]}"),
				Arguments.of("oversize cancellation reason", HttpMethod.POST, "/subscriptions/" + id + "/cancel",
						"{\"reason\": \"" + "r".repeat(65) + "\"}"),
				Arguments.of("oversize cancellation comment", HttpMethod.POST, "/subscriptions/" + id + "/cancel",
						"{\"comment\": \"" + "c".repeat(2001) + "\"}"),
				Arguments.of("invalid id in path", HttpMethod.GET, "/subscriptions/not-a-uuid", null),
				Arguments.of("missing customerId", HttpMethod.GET, "/subscriptions", null), Arguments
					.of("unknown status", HttpMethod.GET, "/subscriptions?customerId=" + id + "&status=zombie", null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void answersBadInputWithBadRequestProblem(String description, HttpMethod method, String path, String body) {
		EntityExchangeResult<Map<String, Object>> response = call(this.client, method, path,
				(body != null) ? body : "");

		assertThat(response.getStatus().value()).as(description).isEqualTo(400);
		assertThat(response.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(errors(response)).as(description)
			.isNotEmpty()
			.allSatisfy(error -> assertThat(error).containsKeys("field", "message"));
	}

	@Test
	void acceptsACurrencyCodeInAnyCaseAndAnswersItUpperCase() {
		EntityExchangeResult<Map<String, Object>> created = call(this.client, HttpMethod.POST, "/subscriptions",
				Map.of("customerId", this.customer.toString(), "productId", UUID.randomUUID().toString(), "amount",
						1999, "currency", "usd"));

		assertThat(created.getStatus().value()).isEqualTo(201);
		assertThat(created.getResponseBody()).containsEntry("currency", "USD");
		assertThat(get(id(created))).containsEntry("currency", "USD");
		assertThat(this.jdbc.queryForObject("select currency from subscription where id = ?::uuid", String.class,
				id(created)))
			.isEqualTo("USD");
	}

	@Test
	void refusesACurrencyCodeThatIsNotISO4217NamingTheField() {
		EntityExchangeResult<Map<String, Object>> refused = call(this.client, HttpMethod.POST, "/subscriptions",
				Map.of("customerId", this.customer.toString(), "productId", UUID.randomUUID().toString(), "amount",
						1999, "currency", "xyz"));

		assertThat(refused.getStatus().value()).isEqualTo(400);
		assertThat(errors(refused)).singleElement()
			.satisfies(error -> assertThat(error).containsEntry("field", "currency")
				.containsEntry("message", "must be an ISO 4217 currency code such as EUR or usd"));
		assertThat(list(this.client, "/subscriptions?customerId=" + this.customer)).isEmpty();
	}

	@Test
	void refusesAnUnknownPauseModeNamingTheField() {
		String id = id(create(this.customer, 0));

		EntityExchangeResult<Map<String, Object>> refused = post(id, "pause", Map.of("mode", "forever"));

		assertThat(refused.getStatus().value()).isEqualTo(400);
		assertThat(errors(refused)).singleElement()
			.satisfies(error -> assertThat(error).containsEntry("field", "mode"));
		assertThat(get(id)).containsEntry("status", "active");
	}

	@Test
	void bindsThePauseModeInAnyCase() {
		String id = id(create(this.customer, 0));

		assertThat(post(id, "pause", Map.of("mode", "FREE")).getResponseBody()).containsEntry("pauseMode", "free");
	}

	@Test
	void refusesAnUnknownStatusFilterNamingTheParameter() {
		EntityExchangeResult<Map<String, Object>> refused = call(this.client, HttpMethod.GET,
				"/subscriptions?customerId=" + this.customer + "&status=zombie", null);

		assertThat(refused.getStatus().value()).isEqualTo(400);
		assertThat(errors(refused)).singleElement()
			.satisfies(error -> assertThat(error).containsEntry("field", "status"));
	}

	@Test
	void bindsTheStatusFilterInAnyCase() {
		String revoked = id(create(this.customer, 0));
		post(revoked, "revoke", null);

		assertThat(list(this.client, "/subscriptions?customerId=" + this.customer + "&status=REVOKED"))
			.extracting(subscription -> subscription.get("id"))
			.containsExactly(revoked);
	}

	@Test
	void answersNotFoundForAnUnknownSubscription() {
		assertThat(post(UUID.randomUUID().toString(), "cancel", null).getStatus().value()).isEqualTo(404);
	}

	/**
	 * The subscription's events, in order: they are keyed by its id, so on one partition.
	 */
	private List<Object> ofSubscription(String id) {
		return this.topics.decoded(Topic.SUBSCRIPTION_EVENTS.topicName())
			.stream()
			.filter(record -> id.equals(record.key()))
			.map(EventTopics.Decoded::value)
			.toList();
	}

	private EntityExchangeResult<Map<String, Object>> create(UUID customer, int trialDays) {
		Map<String, Object> body = new HashMap<>(Map.of("customerId", customer.toString(), "productId",
				UUID.randomUUID().toString(), "amount", 1999, "currency", "EUR"));
		if (trialDays > 0) {
			body.put("trialDays", trialDays);
		}
		return call(this.client, HttpMethod.POST, "/subscriptions", body);
	}

	private EntityExchangeResult<Map<String, Object>> post(String id, String action, Object body) {
		return call(this.client, HttpMethod.POST, "/subscriptions/" + id + "/" + action, body);
	}

	private Map<String, Object> get(String id) {
		return call(this.client, HttpMethod.GET, "/subscriptions/" + id, null).getResponseBody();
	}

	private List<Map<String, Object>> invoices(String id) {
		return list(this.client, "/subscriptions/" + id + "/invoices");
	}

	private static String id(EntityExchangeResult<Map<String, Object>> response) {
		return (String) response.getResponseBody().get("id");
	}

}
