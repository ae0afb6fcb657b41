"""``suitability(customer, product)``: may this product be offered to this customer?"""
