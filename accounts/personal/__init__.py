"""Personal data: person records, cabinets, requests, consent (issue 8)."""
