import Foundation
import Mustache

/// The dashboard's pages as Mustache templates compiled into the binary (no resource bundle, no CDN: the
/// page and its style come from this process, so the dashboard works offline). `{{ }}` escapes HTML;
/// only the server-rendered SVG chart is inserted raw (`{{{chart}}}`), and it escapes its own text.
enum DashboardTemplates {
  static let library: MustacheLibrary = {
    var library = MustacheLibrary()
    for (name, text) in sources {
      // The templates are constants of this file; a syntax error in one is a programming error.
      try! library.register(text, named: name)
    }
    return library
  }()

  static func render(_ name: String, _ context: [String: Any]) -> String {
    library.render(context, withTemplate: name) ?? "template \(name) missing"
  }

  static let sources: [String: String] = [
    "header": header, "footer": footer, "login": login, "overview": overview, "project": project,
    "invoices": invoices, "prices": prices, "error": error, "device": device, "actions": actions,
  ]

  static let header = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · Steward</title>
    <style>
    body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2733;background:#f4f6f8}
    header{background:#1d3b53;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:center}
    header a{color:#fff;text-decoration:none}header .brand{font-weight:700;margin-right:1rem}
    header .user{margin-left:auto;font-size:.9rem}header form{display:inline}
    main{padding:1.2rem;max-width:1200px;margin:auto}
    table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:.4rem .6rem;border-bottom:1px solid #dde3e8;text-align:left}
    th{background:#e8edf1;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
    .card{background:#fff;border:1px solid #dde3e8;border-radius:6px;padding:1rem;margin:1rem 0}
    .racks{display:flex;flex-wrap:wrap;gap:1rem}
    .rack{background:#2b3a47;color:#eef;border-radius:6px;padding:.6rem;min-width:280px;flex:1}
    .rack h3{margin:.2rem 0 .6rem;font-size:1rem}.rack .meta{font-size:.8rem;opacity:.8}
    .device{background:#3d5163;border-left:6px solid #888;margin:.3rem 0;padding:.4rem .5rem;border-radius:3px;font-size:.9rem}
    .device.active,.device.in-use,.device.available,.device.associated{border-left-color:#3cb371}
    .device.stopped,.device.suspended,.device.paused,.device.shelved,.device.shelved_offloaded{border-left-color:#e0a030}
    .device.error{border-left-color:#d9534f}.device .cost{float:right}
    .status{font-size:.8rem;padding:0 .3rem;border-radius:3px;background:#e8edf1;color:#1d2733}
    .bar{background:#e8edf1;height:.6rem;width:8rem;display:inline-block;border-radius:3px;overflow:hidden;vertical-align:middle}
    .bar span{display:block;height:100%;background:#3cb371}.bar.over span{background:#d9534f}
    .error{color:#b52b27}.muted{color:#6a7683}
    form.inline{display:inline}button{font-size:.75rem;cursor:pointer}
    .login{max-width:360px;margin:4rem auto}.login label{display:block;margin:.6rem 0 .2rem}
    .login input{width:100%;padding:.4rem;box-sizing:border-box}.login button{margin-top:1rem;font-size:1rem;padding:.4rem 1rem}
    </style>
    </head>
    <body>
    <header><span class="brand">Steward</span>
    {{#user}}<a href="/dashboard">Overview</a><a href="/dashboard/prices">Price list</a>
    <span class="user">{{name}}{{#project}} · {{.}}{{/project}}
    <form method="post" action="/dashboard/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button id="logout">Log out</button></form></span>{{/user}}
    </header>
    <main>
    """

  static let footer = """
    </main>
    </body>
    </html>
    """

  static let login = """
    {{> header}}
    <div class="card login">
    <h1>Sign in</h1>
    {{#error}}<p class="error" id="login-error">{{.}}</p>{{/error}}
    <form method="post" action="/dashboard/login" id="login-form">
    <label for="username">User name</label><input id="username" name="username" autocomplete="username" required value="{{username}}">
    <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
    <label for="project">Project</label><input id="project" name="project" value="{{project}}">
    <label for="domain">Domain</label><input id="domain" name="domain" value="{{domain}}">
    <button type="submit" id="login-submit">Sign in</button>
    </form>
    </div>
    {{> footer}}
    """

  static let overview = """
    {{> header}}
    <h1>Projects</h1>
    <p class="muted" id="totals">Period {{period}} · <span id="project-count">{{projectCount}}</span> project(s){{#totalCost}} · total <span id="total-cost">{{.}}</span>{{/totalCost}} · <span id="alert-count">{{alertCount}}</span> with a credit or budget alert</p>
    {{^hasCosts}}<p class="muted" id="no-prices">No price list is loaded: costs are not shown.</p>{{/hasCosts}}
    <form method="get" action="/dashboard" id="overview-query"><label for="q">Name</label> <input id="q" name="q" value="{{filter}}"> <label for="sort">Sort by</label> <select id="sort" name="sort"><option value="cost"{{#sortCost}} selected{{/sortCost}}>cost (highest first)</option><option value="name"{{#sortName}} selected{{/sortName}}>name</option></select> <input type="hidden" name="per_page" value="{{perPage}}"> <button type="submit">Show</button></form>
    <p class="muted" id="page-info">{{first}}–{{last}} of {{matchCount}}{{#filtered}} matching “{{filter}}”{{/filtered}} · page {{page}} of {{pageCount}}</p>
    <table id="projects">
    <thead><tr><th>Project</th><th class="num">Servers</th><th class="num">Volumes</th><th class="num">Stacks</th><th class="num">Floating IPs</th><th class="num">Images</th><th class="num">Cost this period</th><th class="num">Credit</th><th>Budget</th></tr></thead>
    <tbody>
    {{#projects}}<tr id="project-{{id}}" data-project="{{id}}"><td><a href="/dashboard/projects/{{id}}">{{label}}</a></td><td class="num servers">{{servers}}</td><td class="num volumes">{{volumes}}</td><td class="num stacks">{{stacks}}</td><td class="num floating-ips">{{floatingIPs}}</td><td class="num images">{{images}}</td><td class="num cost">{{cost}}</td><td class="num credit">{{credit}}</td><td class="budget">{{#budget}}<span class="bar{{#over}} over{{/over}}"><span style="width:{{width}}%"></span></span> {{used}}% of {{amount}}{{/budget}}{{^budget}}<span class="muted">none</span>{{/budget}}</td></tr>
    {{/projects}}
    </tbody>
    </table>
    <p id="pages">{{#prev}}<a href="{{.}}" id="prev-page" rel="prev">← previous</a>{{/prev}} {{#next}}<a href="{{.}}" id="next-page" rel="next">next →</a>{{/next}}</p>
    {{> footer}}
    """

  static let project = """
    {{> header}}
    <h1 id="project-name">{{label}}</h1>
    <p class="muted">Project {{id}} · period {{period}} · <a href="/dashboard/projects/{{id}}/invoices">Invoices</a></p>
    {{#notice}}<p class="card" id="notice">{{.}}</p>{{/notice}}
    <div class="card" id="summary">
    Cost this period: <strong id="project-cost">{{cost}}</strong>
    {{#credit}} · Credit: <strong id="project-credit">{{.}}</strong>{{/credit}}
    {{#budget}} · Budget: <span class="bar{{#over}} over{{/over}}"><span style="width:{{width}}%"></span></span> <span id="project-budget">{{used}}% of {{amount}}</span>{{/budget}}
    </div>
    <div class="card" id="chart">{{{chart}}}</div>
    <h2>Racks</h2>
    <div class="racks">
    {{#racks}}<section class="rack" id="rack-{{id}}" data-stack="{{id}}">
    <h3>{{name}} <span class="status">{{status}}</span></h3>
    <div class="meta">{{count}} device(s){{#cost}} · {{.}}{{/cost}} {{> actions}}</div>
    {{#devices}}{{> device}}{{/devices}}
    {{^devices}}<p class="meta">no devices</p>{{/devices}}
    </section>
    {{/racks}}
    {{^racks}}<p class="muted" id="no-racks">No stacks.</p>{{/racks}}
    </div>
    <h2>Devices outside racks</h2>
    <div class="racks"><section class="rack" id="unracked">
    {{#unracked}}{{> device}}{{/unracked}}
    {{^unracked}}<p class="meta">none</p>{{/unracked}}
    </section></div>
    {{> footer}}
    """

  static let device = """
    <div class="device {{status}}" id="device-{{id}}" data-kind="{{kind}}"><span class="cost">{{cost}}</span>
    <strong class="name">{{name}}</strong> <span class="kind muted">{{kind}}</span> <span class="status">{{status}}</span>
    <div class="meta">{{detail}} {{> actions}}</div></div>
    """

  static let actions = """
    {{#actions}}<form class="inline" method="post" action="/dashboard/projects/{{project}}/actions"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="kind" value="{{kind}}"><input type="hidden" name="id" value="{{id}}"><input type="hidden" name="action" value="{{action}}"><button name="do" value="{{action}}"{{#confirm}} onclick="return confirm('Destroy {{name}}?')"{{/confirm}}>{{action}}</button></form>{{/actions}}
    """

  static let invoices = """
    {{> header}}
    <h1>Invoices of {{label}}</h1>
    {{^invoices}}<p class="muted" id="no-invoices">{{emptyText}}</p>{{/invoices}}
    {{#invoices}}<div class="card invoice" id="invoice-{{period}}"><h2>{{period}} <span class="status">{{state}}</span> <span class="total">{{total}}</span></h2>
    <table><thead><tr><th>Resource</th><th>Description</th><th class="num">Quantity</th><th class="num">Unit price</th><th class="num">Amount</th></tr></thead><tbody>
    {{#lines}}<tr><td>{{resource}}</td><td>{{description}}</td><td class="num">{{quantity}}</td><td class="num">{{unitPrice}}</td><td class="num">{{amount}}</td></tr>
    {{/lines}}</tbody></table></div>
    {{/invoices}}
    {{> footer}}
    """

  static let prices = """
    {{> header}}
    <h1>Price list</h1>
    {{^prices}}<p class="muted" id="no-prices">{{emptyText}}</p>{{/prices}}
    {{#prices}}<p class="muted">Currency {{currency}} · effective from {{effective}}</p>
    <table id="price-list"><thead><tr><th>Item</th><th>Unit</th><th class="num">Price</th></tr></thead><tbody>
    {{#items}}<tr><td>{{item}}</td><td>{{unit}}</td><td class="num">{{price}}</td></tr>
    {{/items}}</tbody></table>{{/prices}}
    {{> footer}}
    """

  static let error = """
    {{> header}}
    <div class="card"><h1>{{heading}}</h1><p class="error" id="error-message">{{message}}</p><p><a href="/dashboard">Back to the overview</a></p></div>
    {{> footer}}
    """
}
