int placeholder_retry_test;
