"""Menu templates for the sandbox fixtures: categories, items, prices, option sets, dietary markers.

Item names carry the markers a delivery platform shows — ``(V)``, ``(VE)``, ``(GF)``, ``(DF)``,
``(NF)``, ``(H)`` and the word "Spicy" — so tag detection has something real to find. A template is
shared by several restaurants; :func:`menu_for` varies prices per restaurant and drops an item on
every other restaurant so that no two menus are quite alike.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TEMPLATES", "FixtureCategory", "FixtureItem", "FixtureOptionSet", "menu_for"]


@dataclass(frozen=True)
class FixtureOptionSet:
    name: str
    required: bool
    min_selections: int
    max_selections: int
    options: tuple[tuple[str, float], ...]  # (name, extra price)


@dataclass(frozen=True)
class FixtureItem:
    name: str
    price: float
    description: str
    has_image: bool
    option_sets: tuple[str, ...] = ()


@dataclass(frozen=True)
class FixtureCategory:
    name: str
    items: tuple[FixtureItem, ...]


def _os(name: str, required: bool, lo: int, hi: int, *options: tuple[str, float]) -> FixtureOptionSet:
    return FixtureOptionSet(name, required, lo, hi, tuple(options))


def _i(name: str, price: float, description: str, image: bool = True, *sets: str) -> FixtureItem:
    return FixtureItem(name, price, description, image, tuple(sets))


OPTION_SETS: dict[str, FixtureOptionSet] = {
    "Choose your size": _os("Choose your size", True, 1, 1, ("Regular", 0.0), ("Large", 3.5)),
    "Add extras": _os(
        "Add extras", False, 0, 4, ("Cheese", 1.5), ("Bacon", 2.5), ("Egg", 2.0), ("Avocado", 3.0)
    ),
    "Choose your sauce": _os(
        "Choose your sauce", True, 1, 1, ("Tomato", 0.0), ("Aioli", 0.0), ("Sweet chilli", 0.0)
    ),
    "Spice level": _os(
        "Spice level", True, 1, 1, ("Mild", 0.0), ("Medium", 0.0), ("Hot", 0.0), ("Extra hot", 0.5)
    ),
    "Add a side": _os("Add a side", False, 0, 2, ("Fries", 4.0), ("Kumara fries", 5.0), ("Coleslaw", 3.5)),
    "Choose your base": _os(
        "Choose your base", True, 1, 1, ("Classic", 0.0), ("Thin", 0.0), ("Gluten free base", 4.0)
    ),
    "Milk": _os("Milk", False, 0, 1, ("Oat milk", 0.8), ("Soy milk", 0.8), ("Almond milk", 0.8)),
    "Choose your protein": _os(
        "Choose your protein", True, 1, 1, ("Chicken", 0.0), ("Beef", 2.0), ("Tofu", 0.0), ("Prawn", 4.0)
    ),
    "Rice or naan": _os(
        "Rice or naan", False, 0, 2, ("Basmati rice", 3.0), ("Garlic naan", 4.5), ("Plain naan", 3.5)
    ),
    "Dipping sauce": _os(
        "Dipping sauce", False, 0, 3, ("Soy", 0.0), ("Chilli oil", 0.5), ("Black vinegar", 0.0)
    ),
}

TEMPLATES: dict[str, tuple[FixtureCategory, ...]] = {
    "kiwi": (
        FixtureCategory(
            "Mains",
            (
                _i(
                    "Classic Kiwi Burger",
                    18.5,
                    "Beef patty, beetroot, fried egg, cheese and aioli",
                    True,
                    "Add extras",
                    "Add a side",
                ),
                _i("Hāngī Pork Roll", 16.0, "Slow-cooked pork, stuffing and gravy in a soft roll", True),
                _i(
                    "Roast Kūmara Salad (V) (GF)", 15.0, "Roast kūmara, feta, spinach and pumpkin seeds", True
                ),
            ),
        ),
        FixtureCategory(
            "Sides",
            (
                _i("Kumara Fries (VE)", 8.0, "Crispy kūmara fries with aioli", True, "Choose your sauce"),
                _i("Onion Rings (V)", 7.0, "Beer-battered onion rings", False),
            ),
        ),
        FixtureCategory(
            "Drinks",
            (
                _i("L&P 330ml", 4.5, "World famous in New Zealand", False),
                _i("Feijoa Smoothie (GF)", 8.5, "Feijoa, banana and yoghurt", True),
            ),
        ),
    ),
    "fried_chicken": (
        FixtureCategory(
            "Chicken",
            (
                _i(
                    "Original Fried Chicken 3pc",
                    14.9,
                    "Three pieces of our original recipe chicken",
                    True,
                    "Choose your sauce",
                ),
                _i("Spicy Wings 8pc", 15.9, "Crispy wings", True, "Spice level"),
                _i(
                    "Korean Soy Garlic Chicken (H)",
                    24.0,
                    "Half chicken glazed in soy garlic",
                    True,
                    "Spice level",
                    "Add a side",
                ),
            ),
        ),
        FixtureCategory(
            "Burgers",
            (
                _i("Chicken Sandwich", 13.5, "Fried thigh, pickles and mayo on brioche", True, "Add extras"),
                _i("Zinger Stack (H)", 15.5, "Crumbed fillet, hash brown and cheese", True, "Add extras"),
            ),
        ),
        FixtureCategory(
            "Sides",
            (
                _i("Seasoned Fries (VE) (GF)", 5.5, "Crinkle-cut with house seasoning", False),
                _i("Coleslaw (V) (GF)", 4.5, "Creamy slaw", False),
            ),
        ),
    ),
    "indian": (
        FixtureCategory(
            "Starters",
            (
                _i(
                    "Vegetable Samosa (V)",
                    8.0,
                    "Two pastries filled with spiced potato and peas",
                    True,
                    "Dipping sauce",
                ),
                _i("Onion Bhaji (VE) (GF)", 8.5, "Crispy onion fritters with mint chutney", True),
            ),
        ),
        FixtureCategory(
            "Curries",
            (
                _i(
                    "Butter Chicken (GF)",
                    22.0,
                    "Tandoori chicken in a creamy tomato sauce",
                    True,
                    "Spice level",
                    "Rice or naan",
                ),
                _i(
                    "Lamb Rogan Josh (GF) (DF)",
                    24.0,
                    "Kashmiri lamb curry",
                    True,
                    "Spice level",
                    "Rice or naan",
                ),
                _i(
                    "Palak Paneer (V) (GF)",
                    20.0,
                    "Spinach and cottage cheese",
                    True,
                    "Spice level",
                    "Rice or naan",
                ),
                _i(
                    "Spicy Vindaloo (H)",
                    23.0,
                    "Goan curry with potato",
                    True,
                    "Choose your protein",
                    "Rice or naan",
                ),
            ),
        ),
        FixtureCategory(
            "Breads",
            (
                _i("Garlic Naan (V)", 4.5, "Tandoor-baked with garlic butter", False),
                _i("Cheese Naan (V)", 5.5, "Stuffed with melted cheese", False),
            ),
        ),
    ),
    "pizza": (
        FixtureCategory(
            "Pizzas",
            (
                _i(
                    "Margherita (V)",
                    19.0,
                    "Tomato, fior di latte and basil",
                    True,
                    "Choose your base",
                    "Choose your size",
                ),
                _i(
                    "Diavola",
                    23.0,
                    "Salami piccante and mozzarella",
                    True,
                    "Choose your base",
                    "Choose your size",
                ),
                _i(
                    "Funghi (V)",
                    22.0,
                    "Mushrooms, thyme and truffle oil",
                    True,
                    "Choose your base",
                    "Choose your size",
                ),
                _i(
                    "Prosciutto e Rucola",
                    26.0,
                    "Prosciutto, rocket and parmesan",
                    True,
                    "Choose your base",
                    "Choose your size",
                ),
            ),
        ),
        FixtureCategory(
            "Pasta",
            (
                _i("Spaghetti Carbonara", 24.0, "Guanciale, egg yolk and pecorino", True),
                _i("Penne Arrabbiata (VE)", 21.0, "Tomato, garlic and olive oil", True),
            ),
        ),
        FixtureCategory("Dolci", (_i("Tiramisu (V)", 12.0, "Mascarpone, espresso and cocoa", True),)),
    ),
    "cafe": (
        FixtureCategory(
            "Breakfast",
            (
                _i(
                    "Eggs Benedict",
                    21.0,
                    "Poached eggs, bacon and hollandaise on a muffin",
                    True,
                    "Add extras",
                ),
                _i("Smashed Avo (VE)", 19.5, "Avocado, lemon and dukkah on sourdough", True, "Add extras"),
                _i("Big Breakfast", 26.0, "Eggs, bacon, sausage, hash brown, mushrooms and toast", True),
            ),
        ),
        FixtureCategory(
            "Cabinet",
            (
                _i("Bacon and Egg Pie", 8.5, "Flaky pastry and free-range eggs", False),
                _i("Gluten Free Brownie (GF) (NF)", 6.0, "Rich chocolate brownie", True),
            ),
        ),
        FixtureCategory(
            "Coffee",
            (
                _i("Flat White", 5.0, "Double shot", False, "Milk", "Choose your size"),
                _i("Long Black (VE) (DF)", 4.5, "Double shot over water", False),
            ),
        ),
    ),
    "chinese": (
        FixtureCategory(
            "Dumplings",
            (
                _i(
                    "Pork and Chive Dumplings 12pc",
                    16.0,
                    "Handmade, pan-fried or steamed",
                    True,
                    "Dipping sauce",
                ),
                _i(
                    "Vegetable Dumplings 12pc (VE)",
                    15.0,
                    "Cabbage, mushroom and glass noodles",
                    True,
                    "Dipping sauce",
                ),
                _i("Prawn Har Gow 6pc (DF)", 14.0, "Crystal prawn dumplings", True),
            ),
        ),
        FixtureCategory(
            "Noodles",
            (
                _i("Dan Dan Noodles", 17.5, "Sichuan pork noodles with sesame", True, "Spice level"),
                _i("Beef Chow Mein", 18.0, "Wok-fried egg noodles", True),
            ),
        ),
        FixtureCategory(
            "Rice",
            (
                _i("Egg Fried Rice (V) (DF)", 12.0, "Classic fried rice", False),
                _i("Mapo Tofu on Rice", 16.5, "Silken tofu with minced pork", True, "Spice level"),
            ),
        ),
    ),
    "sushi": (
        FixtureCategory(
            "Sushi",
            (
                _i("Salmon Nigiri 6pc (GF) (DF)", 14.0, "Fresh salmon on seasoned rice", True),
                _i("Avocado Roll (VE) (GF)", 10.0, "Avocado and cucumber", True),
                _i("Spicy Tuna Roll", 15.0, "Tuna, kewpie mayo and spring onion", True, "Dipping sauce"),
            ),
        ),
        FixtureCategory(
            "Ramen",
            (
                _i("Tonkotsu Ramen", 21.0, "Pork broth, chashu and ajitama", True, "Add extras"),
                _i("Miso Ramen (V)", 19.0, "Miso broth, corn and tofu", True, "Add extras"),
            ),
        ),
        FixtureCategory(
            "Sides",
            (
                _i("Edamame (VE) (GF)", 7.0, "Salted soy beans", False),
                _i("Chicken Karaage", 12.0, "Japanese fried chicken with kewpie", True),
            ),
        ),
    ),
    "fish_chips": (
        FixtureCategory(
            "Fish",
            (
                _i(
                    "Blue Cod and Chips",
                    19.5,
                    "Battered blue cod with a scoop of chips",
                    True,
                    "Choose your sauce",
                ),
                _i("Hoki Fillet (DF)", 7.5, "Battered hoki", False),
                _i("Grilled Tarakihi (GF)", 12.0, "Grilled, never fried", True),
            ),
        ),
        FixtureCategory(
            "Extras",
            (
                _i("Scoop of Chips (VE)", 5.0, "Golden chips", False, "Choose your size"),
                _i("Paua Fritter", 9.0, "Chopped paua in batter", True),
                _i("Battered Sausage (Saveloy)", 4.0, "On a stick with tomato sauce", False),
            ),
        ),
    ),
    "thai": (
        FixtureCategory(
            "Curries",
            (
                _i(
                    "Green Curry (GF)",
                    21.0,
                    "Coconut green curry with Thai basil",
                    True,
                    "Choose your protein",
                    "Spice level",
                ),
                _i("Massaman Curry (GF) (NF)", 22.0, "Slow-cooked beef with potato", True, "Spice level"),
            ),
        ),
        FixtureCategory(
            "Noodles",
            (
                _i("Pad Thai", 19.0, "Rice noodles, tamarind, peanuts and lime", True, "Choose your protein"),
                _i(
                    "Spicy Drunken Noodles", 19.5, "Wide noodles with holy basil", True, "Choose your protein"
                ),
            ),
        ),
        FixtureCategory(
            "Salads",
            (
                _i("Som Tam (VE) (GF)", 14.0, "Green papaya salad", True, "Spice level"),
                _i("Larb Gai (GF) (DF)", 16.0, "Minced chicken salad with mint", False),
            ),
        ),
    ),
    "mexican": (
        FixtureCategory(
            "Tacos",
            (
                _i("Carnitas Taco (GF)", 7.5, "Slow-cooked pork, salsa verde", True, "Spice level"),
                _i("Baja Fish Taco", 8.0, "Beer-battered fish and chipotle mayo", True, "Spice level"),
                _i("Mushroom Taco (VE) (GF)", 7.0, "Roasted mushrooms and pickled onion", True),
            ),
        ),
        FixtureCategory(
            "Burritos",
            (
                _i("Chicken Burrito", 17.5, "Rice, beans, cheese and pico de gallo", True, "Add extras"),
                _i("Spicy Beef Burrito", 18.5, "Chipotle beef and peppers", True, "Add extras"),
            ),
        ),
        FixtureCategory(
            "Sides",
            (
                _i("Corn Chips and Guacamole (VE) (GF)", 11.0, "Made to order", False),
                _i("Churros (V)", 9.0, "With chocolate sauce", True),
            ),
        ),
    ),
    "burgers": (
        FixtureCategory(
            "Burgers",
            (
                _i(
                    "Double Cheeseburger",
                    17.0,
                    "Two smashed patties, American cheese",
                    True,
                    "Add extras",
                    "Add a side",
                ),
                _i(
                    "Spicy Chicken Burger",
                    16.0,
                    "Crispy chicken, pickles, chipotle mayo",
                    True,
                    "Add extras",
                    "Add a side",
                ),
                _i(
                    "Beyond Burger (VE)",
                    18.0,
                    "Pea-protein patty and cashew cheese",
                    True,
                    "Add extras",
                    "Add a side",
                ),
                _i(
                    "Smoked Brisket Burger",
                    21.0,
                    "12-hour brisket, pickles and BBQ sauce",
                    True,
                    "Add a side",
                ),
            ),
        ),
        FixtureCategory(
            "Sides",
            (
                _i("Shoestring Fries (VE) (GF)", 6.0, "Skinny fries", False, "Choose your sauce"),
                _i("Mac and Cheese Bites (V)", 8.0, "Crumbed and fried", True),
            ),
        ),
        FixtureCategory(
            "Shakes", (_i("Salted Caramel Shake (GF)", 9.5, "Real ice cream", False, "Choose your size"),)
        ),
    ),
    "vegan": (
        FixtureCategory(
            "Bowls",
            (
                _i("Buddha Bowl (VE) (GF)", 19.0, "Quinoa, roast veg, hummus and tahini", True, "Add extras"),
                _i("Poke Bowl with Tofu (VE) (DF)", 20.0, "Marinated tofu, edamame and rice", True),
                _i("Spicy Satay Bowl (VE) (NF)", 19.5, "Sunflower satay, greens and rice", True),
            ),
        ),
        FixtureCategory(
            "Smoothies",
            (
                _i("Green Machine (VE) (GF)", 10.0, "Spinach, banana, mango and oat milk", False, "Milk"),
                _i("Berry Blast (VE) (GF)", 10.0, "Mixed berries and coconut yoghurt", False, "Milk"),
            ),
        ),
    ),
    "kebab": (
        FixtureCategory(
            "Kebabs",
            (
                _i(
                    "Chicken Kebab (H)",
                    15.0,
                    "Wrapped in Turkish bread with salad",
                    True,
                    "Choose your sauce",
                    "Choose your size",
                ),
                _i(
                    "Lamb Kebab (H)",
                    16.0,
                    "Doner lamb with garlic sauce",
                    True,
                    "Choose your sauce",
                    "Choose your size",
                ),
                _i("Falafel Wrap (VE)", 14.0, "Falafel, hummus and pickles", True, "Choose your sauce"),
            ),
        ),
        FixtureCategory(
            "Plates",
            (
                _i(
                    "Mixed Meat Plate (H) (GF)",
                    22.0,
                    "Chicken and lamb with rice and salad",
                    True,
                    "Add a side",
                ),
                _i("Spicy Adana Plate (H)", 21.0, "Chargrilled minced lamb skewer", True, "Add a side"),
            ),
        ),
        FixtureCategory(
            "Sides",
            (
                _i("Chunky Chips (VE)", 5.0, "Chunky chips", False),
                _i("Baklava (V)", 5.5, "Pistachio and honey", True),
            ),
        ),
    ),
    "vietnamese": (
        FixtureCategory(
            "Pho",
            (
                _i(
                    "Beef Pho (GF) (DF)",
                    18.5,
                    "Rare beef, brisket and rice noodles",
                    True,
                    "Choose your size",
                ),
                _i("Chicken Pho (GF) (DF)", 17.5, "Poached chicken and herbs", True, "Choose your size"),
                _i("Tofu Pho (VE) (GF)", 17.0, "Vegetable broth, tofu and greens", True, "Choose your size"),
            ),
        ),
        FixtureCategory(
            "Banh Mi",
            (
                _i("Pork Banh Mi", 12.0, "Roast pork, pâté and pickles", True, "Spice level"),
                _i("Lemongrass Tofu Banh Mi (VE)", 11.5, "Lemongrass tofu and pickles", True, "Spice level"),
            ),
        ),
        FixtureCategory(
            "Rolls",
            (
                _i(
                    "Fresh Spring Rolls (GF) (DF)",
                    10.0,
                    "Prawn, vermicelli and herbs",
                    False,
                    "Dipping sauce",
                ),
            ),
        ),
    ),
    "bakery": (
        FixtureCategory(
            "Pies",
            (
                _i("Steak and Cheese Pie", 7.5, "Chunky steak and cheddar", True),
                _i("Mince and Cheese Pie", 7.0, "A Kiwi classic", True),
                _i("Vegetable Curry Pie (VE)", 7.0, "Spiced vegetables in flaky pastry", True),
                _i("Butter Chicken Pie (H)", 8.0, "Butter chicken filling", True),
            ),
        ),
        FixtureCategory(
            "Sweet",
            (
                _i("Custard Square (V)", 5.5, "Vanilla custard slice", True),
                _i("Lamington (V) (NF)", 4.5, "Sponge, chocolate and coconut", False),
                _i("Gluten Free Caramel Slice (GF)", 6.0, "Caramel and shortbread", False),
            ),
        ),
        FixtureCategory("Drinks", (_i("Flat White", 5.0, "Double shot", False, "Milk"),)),
    ),
}


def menu_for(template: str, index: int) -> tuple[FixtureCategory, ...]:
    """The template's menu for fixture number ``index``: prices nudged, one item dropped on odd ones."""
    bump = 0.5 * (index % 3)
    categories = []
    for cat_no, category in enumerate(TEMPLATES[template]):
        items = [
            FixtureItem(i.name, round(i.price + bump, 2), i.description, i.has_image, i.option_sets)
            for i in category.items
        ]
        if index % 2 == 1 and cat_no == 0 and len(items) > 2:
            items.pop()
        categories.append(FixtureCategory(category.name, tuple(items)))
    return tuple(categories)
