package dev.subscriptions.subscriptionservice.subscription;

import java.util.List;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/**
 * All invoices.
 */
public interface Invoices extends ListCrudRepository<Invoice, UUID> {

	@Query("select * from invoice where subscription_id = :subscriptionId order by created_at, id")
	List<Invoice> findBySubscriptionId(UUID subscriptionId);

	@Query("select * from invoice where subscription_id = :subscriptionId and status = 'OPEN' order by created_at")
	List<Invoice> findOpenBySubscriptionId(UUID subscriptionId);

}
