-- A product's mapping belongs to an organization: two organizations that map the same product id (an id of their
-- billing provider, which they do not share) each keep their own, and replacing one leaves the other alone. The
-- mappings made before belong to the organization of their benefit (a product was mapped to benefits of one
-- organization only).
alter table product_benefit add column organization_id uuid;

update product_benefit p set organization_id = b.organization_id from benefit b where b.id = p.benefit_id;

alter table product_benefit alter column organization_id set not null;

alter table product_benefit drop constraint product_benefit_pkey;
alter table product_benefit add constraint product_benefit_pkey primary key (organization_id, product_id, benefit_id);

-- A mapping names a benefit of its own organization: the reference carries the organization (it replaces the plain
-- reference to the benefit's id).
alter table benefit add constraint benefit_id_organization_key unique (id, organization_id);
alter table product_benefit drop constraint product_benefit_benefit_id_fkey;
alter table product_benefit add constraint product_benefit_benefit_organization_fkey
    foreign key (benefit_id, organization_id) references benefit (id, organization_id);
