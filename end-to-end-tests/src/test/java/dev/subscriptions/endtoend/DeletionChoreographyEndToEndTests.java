package dev.subscriptions.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.subscriptions.eventing.test.EventTopics;
import dev.subscriptions.events.revocation.CustomerRevocationCompleted;
import dev.subscriptions.schemas.Topic;

/**
 * Delete a customer, and everything the customer had is gone everywhere, provably: the
 * three services as separate processes, observed by REST alone.
 */
class DeletionChoreographyEndToEndTests {

	private final Api api = new Api(UUID.randomUUID());

	private final UUID product = UUID.randomUUID();

	@BeforeAll
	static void startPlatform() {
		Platform.start();
	}

	@Test
	void deletingACustomerRevokesEverythingEverywhereAndCompletesTheReceipt() {
		productWithThreeBenefits();
		String customer = this.api.createCustomer("all@example.com");
		String active = this.api.subscribe(customer, this.product);
		String overdue = this.api.subscribe(customer, this.product);
		String paused = this.api.subscribe(customer, this.product);
		this.api.subscriptionAction(overdue, "payment-failed", null);
		this.api.subscriptionAction(paused, "pause", Map.of("mode", "void"));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.api.grantsOf(customer).size() == 9 && this.api.entitlementKeys(customer).size() == 6);

		this.api.deleteCustomer(customer);

		await().atMost(Duration.ofSeconds(30))
			.until(() -> Boolean.TRUE.equals(this.api.receipt(customer).get("complete")));
		assertThat(this.api.subscriptionsOf(customer)).hasSize(3)
			.allSatisfy(subscription -> assertThat(subscription).containsEntry("status", "revoked")
				.containsEntry("revokedReason", "customer_deleted"));
		assertThat(this.api.entitlementKeys(customer)).isEmpty();
		assertThat(this.api.grantsOf(customer)).hasSize(9)
			.allSatisfy(grant -> assertThat(grant).containsEntry("state", "revoked"));
		Map<String, Object> receipt = this.api.receipt(customer);
		assertThat(receipt.get("pending")).isEqualTo(List.of());
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> services = (List<Map<String, Object>>) receipt.get("services");
		assertThat(services).extracting(service -> service.get("service"), service -> service.get("revokedCount"))
			.containsExactlyInAnyOrder(tuple("subscription", 3), tuple("benefit", 9));
		assertThat(active).isNotEqualTo(paused);
	}

	@Test
	void aRecreatedCustomerGetsNewSubscriptionsAndBenefitsWhileTheOldOnesStayRevoked() {
		productWithThreeBenefits();
		String first = this.api.createCustomer("again@example.com");
		this.api.subscribe(first, this.product);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.api.entitlementKeys(first).size() == 3);
		this.api.deleteCustomer(first);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Boolean.TRUE.equals(this.api.receipt(first).get("complete")));

		String second = this.api.createCustomer("AGAIN@example.com");
		String subscription = this.api.subscribe(second, this.product);

		assertThat(second).isNotEqualTo(first);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.api.entitlementKeys(second).size() == 3);
		assertThat(this.api.subscriptionsOf(second)).singleElement()
			.satisfies(live -> assertThat(live).containsEntry("id", subscription).containsEntry("status", "active"));
		assertThat(this.api.subscriptionsOf(first))
			.allSatisfy(old -> assertThat(old).containsEntry("status", "revoked"));
		assertThat(this.api.entitlementKeys(first)).isEmpty();
	}

	@Test
	void anOverdueSubscriptionIsCancelledWithItsInvoiceOpenAndBenefitsFollowTheGraceRules() {
		productWithThreeBenefits();
		String customer = this.api.createCustomer("overdue@example.com");
		String subscription = this.api.subscribe(customer, this.product);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.api.entitlementKeys(customer).size() == 3);

		assertThat(this.api.subscriptionAction(subscription, "payment-failed", null).getResponseBody())
			.containsEntry("status", "past_due");
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.until(() -> this.api.entitlementKeys(customer).size() == 3);

		assertThat(this.api.subscriptionAction(subscription, "cancel", Map.of("immediately", true)).getResponseBody())
			.containsEntry("status", "canceled");
		assertThat(this.api.invoicesOf(subscription)).singleElement()
			.satisfies(invoice -> assertThat(invoice).containsEntry("status", "open"));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.api.entitlementKeys(customer).isEmpty());
	}

	@Test
	void everyReceiptCompletesWhenAServiceIsKilledHalfwayThroughFiveHundredDeletions() throws Exception {
		productWithThreeBenefits();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<String> customers = inParallel(pool, 500, i -> {
			String customer = this.api.createCustomer("bulk" + i + "@example.com");
			this.api.subscribe(customer, this.product);
			return customer;
		});
		await().atMost(Duration.ofSeconds(120))
			.until(() -> customers.stream().allMatch(customer -> this.api.grantsOf(customer).size() == 3));

		AtomicInteger deleted = new AtomicInteger();
		CompletableFuture<List<String>> deletions = CompletableFuture.supplyAsync(() -> inParallel(pool, 500, i -> {
			this.api.deleteCustomer(customers.get(i));
			deleted.incrementAndGet();
			return customers.get(i);
		}));
		await().atMost(Duration.ofSeconds(60)).until(() -> deleted.get() >= 150);
		Platform.benefits.kill();
		Platform.benefits.start().awaitHealthy(Duration.ofMinutes(3));
		deletions.join();
		pool.shutdown();

		await().atMost(Duration.ofSeconds(180))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> customers.stream()
				.allMatch(customer -> Boolean.TRUE.equals(this.api.receipt(customer).get("complete"))));
		Map<String, List<CustomerRevocationCompleted>> reports = revocationReports(customers);
		// Delivery is at least once: a service killed between Kafka's ack and the outbox
		// delete sends the same report
		// (same event id) again, which customer-service's inbox drops. A second
		// revocation would be a new event id.
		assertThat(reports).hasSize(500).allSatisfy((customer, received) -> {
			assertThat(distinctByEventId(received, "benefit")).singleElement()
				.satisfies(report -> assertThat(report.getRevokedCount()).isEqualTo(3));
			assertThat(distinctByEventId(received, "subscription")).singleElement()
				.satisfies(report -> assertThat(report.getRevokedCount()).isEqualTo(1));
		});
		assertThat(customers).allSatisfy(customer -> assertThat(this.api.grantsOf(customer)).hasSize(3)
			.allSatisfy(grant -> assertThat(grant).containsEntry("state", "revoked")
				.containsEntry("revocationReason", "customer_deleted")));
	}

	private static List<CustomerRevocationCompleted> distinctByEventId(List<CustomerRevocationCompleted> reports,
			String service) {
		Map<String, CustomerRevocationCompleted> byEventId = new HashMap<>();
		reports.stream()
			.filter(report -> report.getService().equals(service))
			.forEach(report -> byEventId.putIfAbsent(report.getEventId(), report));
		return new ArrayList<>(byEventId.values());
	}

	private void productWithThreeBenefits() {
		List<String> benefits = new ArrayList<>();
		for (String key : List.of("reports", "api-access", "community")) {
			benefits.add(this.api.createBenefit(key));
		}
		this.api.mapProduct(this.product, benefits);
	}

	private Map<String, List<CustomerRevocationCompleted>> revocationReports(List<String> customers) {
		Map<String, List<CustomerRevocationCompleted>> reports = new HashMap<>();
		for (EventTopics.Decoded record : EventTopics.shared().decoded(Topic.CUSTOMER_REVOCATIONS.topicName())) {
			if (customers.contains(record.key())) {
				reports.computeIfAbsent(record.key(), key -> new ArrayList<>())
					.add(record.value(CustomerRevocationCompleted.class));
			}
		}
		return reports;
	}

	private static List<String> inParallel(ExecutorService pool, int count,
			java.util.function.IntFunction<String> task) {
		List<CompletableFuture<String>> futures = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			int n = i;
			futures.add(CompletableFuture.supplyAsync(() -> task.apply(n), pool));
		}
		return futures.stream().map(CompletableFuture::join).toList();
	}

}
