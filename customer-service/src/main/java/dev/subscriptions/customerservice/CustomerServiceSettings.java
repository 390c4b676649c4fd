package dev.subscriptions.customerservice;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * customer-service's own settings, under {@code customer-service.*}.
 * {@code application.yml} maps the environment variables onto them and is the one place
 * that writes their defaults.
 *
 * @param topic the topics customer-service creates
 * @param deletion the deletion receipt
 */
@ConfigurationProperties("customer-service")
public record CustomerServiceSettings(Topics topic, Deletion deletion) {

	/**
	 * @param partitions partitions of {@code customer.events},
	 * {@code customer.revocations} and its dead letters
	 * ({@code CUSTOMER_EVENTS_PARTITIONS}, default 6)
	 * @param replicas replication factor of {@code customer.events}; 0 or less for the
	 * broker's default ({@code CUSTOMER_EVENTS_REPLICAS}, default -1)
	 */
	public record Topics(int partitions, short replicas) {

		public Topics {
			if (partitions < 1) {
				throw new IllegalArgumentException("customer-service.topic.partitions must be at least 1");
			}
		}

	}

	/**
	 * @param requiredServices the services that must report a revocation before a
	 * deletion receipt is complete ({@code DELETION_REQUIRED_SERVICES}, default
	 * {@code subscription,benefit}); blank entries are left out
	 * @param incompleteAfter how long after a deletion its receipt may stay incomplete
	 * before the gauge {@code customer.deletions.incomplete} counts it
	 * ({@code DELETION_INCOMPLETE_AFTER}, default {@code PT5M})
	 */
	public record Deletion(List<String> requiredServices, Duration incompleteAfter) {

		public Deletion {
			requiredServices = requiredServices.stream().map(String::trim).filter(name -> !name.isEmpty()).toList();
			if (incompleteAfter.isNegative()) {
				throw new IllegalArgumentException("customer-service.deletion.incomplete-after must not be negative");
			}
		}

	}

}
