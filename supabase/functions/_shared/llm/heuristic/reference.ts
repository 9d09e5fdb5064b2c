// Reference lists shipped with the product (data files beside this one), against which code columns are
// checked: ISO 4217 currency codes and ISO 3166-1 country codes.
import currencies from "./reference/iso-4217.json" with { type: "json" };
import countries from "./reference/iso-3166-1.json" with { type: "json" };

export interface ReferenceList {
  /** Shown in rule descriptions and rationales: `ISO 4217 currency codes`. */
  label: string;
  codes: string[];
}

export const CURRENCY_CODES: ReferenceList = {
  label: `${currencies.standard} currency codes`,
  codes: currencies.codes.map((c) => c.code),
};
export const COUNTRY_ALPHA2: ReferenceList = {
  label: `${countries.standard} alpha-2 country codes`,
  codes: countries.countries.map((c) => c.alpha2),
};
export const COUNTRY_ALPHA3: ReferenceList = {
  label: `${countries.standard} alpha-3 country codes`,
  codes: countries.countries.map((c) => c.alpha3),
};
