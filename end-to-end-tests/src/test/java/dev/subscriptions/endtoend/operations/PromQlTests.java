package dev.subscriptions.endtoend.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link PromQl} finds the metrics an expression selects and nothing else. */
class PromQlTests {

	@Test
	void findsTheMetricOfAnAggregationButNotItsLabels() {
		assertThat(PromQl.metricNames("max by (group, topic, partition) (kafka_consumergroup_lag_seconds)"))
			.containsExactly("kafka_consumergroup_lag_seconds");
	}

	@Test
	void skipsFunctionsLabelMatchersRangesAndNumbers() {
		assertThat(PromQl.metricNames(
				"histogram_quantile(0.99, sum(rate(customer_deletion_completion_seconds_bucket{job=\"a b\", le!~\"+Inf\"}[5m])) by (le))"))
			.containsExactly("customer_deletion_completion_seconds_bucket");
	}

	@Test
	void findsBothSidesOfBinaryOperatorsAndSkipsTheirModifiers() {
		assertThat(PromQl.metricNames(
				"sum by (job) (outbox_relay_leader) == bool 0 and on (job) group_left (instance) sum by (job) (up) > 0 "
						+ "or absent(up{job=\"x\"}) unless ignoring(job) outbox_pending offset 10m * 1e-3"))
			.containsExactly("outbox_pending", "outbox_relay_leader", "up");
	}

	@Test
	void readsKeywordsWhateverTheirCaseAndSkipsStringsAndComments() {
		assertThat(PromQl.metricNames("SUM BY (reason) (rate(grants_revoked_total[1m])) # not_a_metric\n"
				+ "+ count_values(\"value\", subscriptions_ended_total)"))
			.containsExactly("grants_revoked_total", "subscriptions_ended_total");
	}

	@Test
	void findsTheLabelsOfMatchersAndOfGroupingAndJoiningLists() {
		assertThat(PromQl.labelNames("sum by (job, status) (rate(http_server_requests_seconds_count{status=~\"5..\", "
				+ "uri!~\"/actuator.*\"}[1m])) / on (job) group_left (instance) sum without (le) (up{job=\"x\"})"))
			.containsExactly("instance", "job", "le", "status", "uri");
	}

}
