-- One database and login per service, and one for the schema registry's storage.
create role customer login password 'customer';
create database customer owner customer;
create role subscription login password 'subscription';
create database subscription owner subscription;
create role benefit login password 'benefit';
create database benefit owner benefit;
create role registry login password 'registry';
create database registry owner registry;
