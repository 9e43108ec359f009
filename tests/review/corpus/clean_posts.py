"""Clean city posts for the evaluation corpus, by 702.4 category. Written for this project.

Each entry is the text of a post that a city may publish without a supervisor (decision
"allow"); a few carry accessibility warnings, listed after the text.
"""

ANNOUNCEMENT = [
    "City Hall will be closed Monday, January 20 for Martin Luther King Jr. Day. Online services at riverton.gov stay open, and trash pickup runs on the normal schedule.",
    "The Riverton Public Library at 350 Oak Avenue now lends hotspots, laptops and museum passes. Bring your library card to the information desk or call 541-555-0145.",
    "Starting March 1, parking meters downtown accept payment through the ParkRiverton app. Coins and cards still work at every meter.",
    "Property assessment notices are in the mail this week. If you have questions about your assessment, call City Hall at 541-555-0100 between 8 AM and 5 PM.",
    "Leaf pickup starts November 4. Rake leaves to the curb, not into the street, so storm drains stay clear. See the map of pickup zones at riverton.gov/leaves.",
    "The City Council meets Tuesday at 6 PM in Council Chambers, City Hall, 100 Main Street. The agenda and live stream are at riverton.gov/council.",
    "Water main flushing continues this week in the Northside neighborhood. Your water may look cloudy for a few minutes; run the cold tap until it clears.",
    "Good news: the Oak Avenue pedestrian bridge reopens Friday after repairs. Thank you for your patience while crews replaced the deck.",
    "Hello, Riverton! Our new 311 service request portal is live. Report potholes, graffiti and streetlight outages any time at riverton.gov/311.",
    "Our sister city delegation from Scunthorpe arrives this weekend. Join us for a welcome reception at the Community Center, 900 Park Boulevard, Saturday at 2 PM.",
    "Recycling carts with the wrong items get a tag, not a pickup. Keep plastic bags, hoses and shell casings out of the blue cart. Questions? Call Public Works at 541-555-0134.",
    "The Senior Center at 410 Elm Street is a cooling center this week from 10 AM to 8 PM. Water and seating are available. Pets on a leash are welcome.",
    "Budget workshops start next week. Learn how the City plans to spend $84 million on streets, parks, police and fire, and tell us what matters to you.",
    "Annual hydrant testing runs through June. Crews may briefly lower water pressure on your block. No action is needed from residents.",
    "The Dickens Festival returns to downtown December 7 with carolers, a lantern walk and hot cider. Streets around Main and 2nd close from noon to 9 PM.",
    "Animal Services has adjusted its hours. The shelter is open for adoptions Tuesday through Saturday, 11 AM to 6 PM. Call 541-555-0199 to ask about a pet.",
    "Reminder: burn season is closed until further notice because of dry conditions. Backyard fires and debris burning are not allowed inside city limits.",
    "The classic car show is back at Riverside Park on Sunday. Admission is free, and the Riverton Lions Club runs the food stand.",
    "New this year: compost carts for every household. Food scraps, yard debris and pizza boxes all go in the green cart.",
    "The Mayor's State of the City address is Thursday at 7 PM at the Community Center. Doors open at 6:30. Watch live at riverton.gov/live.",
    "Street sweeping resumes in April. Check the sign on your block for the day, and move your car so crews can reach the curb.",
    "The Parks and Recreation fall guide is out. Register for swim lessons, pottery, youth soccer and more at riverton.gov/rec or call 541-555-0150.",
    "Our permit center moved to the second floor of City Hall. Take the elevator near the Main Street entrance and follow the blue signs.",
    "Please keep snow off fire hydrants near your home. Firefighters lose precious minutes digging out a buried hydrant.",
    "The Riverton Farmers Market opens for the season Saturday, 9 AM to 1 PM, in the lot behind City Hall. SNAP benefits are accepted and matched up to $20.",
    "Public comment on the draft climate plan is open until May 15. Read the plan and share your comments at riverton.gov/climate.",
    "Hours change for Thanksgiving week: City offices close Thursday and Friday. Trash pickup shifts one day later for the rest of the week.",
    "Tap water in Riverton met every federal and state standard last year. Read the full water quality report at riverton.gov/water.",
]

CRIME_PREVENTION = [
    "Lock it or lose it. Most car prowls in Riverton last month were in unlocked cars. Take valuables with you and lock your doors every time.",
    "Scam alert: the City will never call to demand payment in gift cards. If someone says your water will be shut off unless you pay now, hang up and call 541-555-0100.",
    "Going on vacation? Sign up for a free vacation house check. An officer or volunteer will drive by while you are away. Apply at riverton.gov/housecheck.",
    "Porch pirates are active this season. Ask for a signature on delivery, use a package locker, or have packages sent to a neighbor who is home.",
    "The sex offender registry is public. You can search registered sex offenders near your address on the state police website.",
    "Never share your password or one-time code with anyone who calls you, even if they say they are from your bank or the City.",
    "Catalytic converter thefts are up. Park in a garage or a well-lit area, and ask your mechanic about etching your license plate number on the converter.",
    "Protect your bike: lock the frame, not just the wheel, with a U-lock, and register the serial number for free at any fire station.",
    "Talk to your kids about online safety. Remind them that people they meet in games may not be who they say they are.",
    "Want a free home security check? A crime prevention specialist will walk your property and suggest better lighting, locks and landscaping. Call 541-555-0111.",
    "Check on elderly neighbors during the heat wave, and remind them that utility workers always carry a City badge and never ask to come inside for payment.",
    "Keep your garage door closed, even when you are home. An open garage is an invitation for a quick theft.",
    "Shred mail with your account numbers before you recycle it. Identity thieves go through recycling bins.",
    "Lighting matters. Motion-sensor lights by doors and walkways are an inexpensive way to make a home less attractive to burglars.",
    "Fireworks safety: only legal fireworks are allowed, only on July 4 from 9 AM to 11 PM. Keep a bucket of water nearby and never relight a dud.",
    "Start a Neighborhood Watch on your street. Our crime prevention team will help you get organized. Details at riverton.gov/watch.",
    "Romance scams cost Riverton residents more than $200,000 last year. Never send money to someone you have only met online.",
    "Record the serial numbers of your phones, tools and electronics. It helps officers return stolen property to you.",
    "If you see something, say something. Report suspicious activity to the police non-emergency line at 541-555-0111, and call 911 for emergencies.",
    "Before you buy a used car, check the title and run the VIN through a free stolen-vehicle lookup.",
    "Smart doorbells help, but only if the footage is saved. Check that your camera records and keeps video for at least a week.",
    "Grandparent scams are back: a caller pretends to be a grandchild in jail who needs bail money. Hang up and call your family member directly.",
    "Teen drivers: no phones behind the wheel. A text can wait; a crash cannot be undone.",
    "Holiday shopping? Put gifts in the trunk before you get to the store, not in the parking lot where people can see.",
]

REQUEST_FOR_INFORMATION = [
    "Riverton Police are looking for witnesses to a hit-and-run on River Road near 5th Avenue on Saturday night. If you saw a dark pickup in the area, call the tip line at 541-555-0177.",
    "Do you have doorbell camera video from the 400 block of Pine Street between 1 and 3 AM on Tuesday? Detectives would like to see it. Call 541-555-0111.",
    "Help us find the owner of a gray tabby cat found near Cummings Park. She is safe at Animal Services. Call 541-555-0199 to describe your pet.",
    "Police are asking for help identifying a man who used stolen credit cards at two stores on Harbor Boulevard. He wore a red cap and a black jacket. Tips can be anonymous: 541-555-0177.",
    "Did you see a crash at Oak Avenue and 12th Street around 7:45 AM Monday? Traffic investigators want to hear from you. Call 541-555-0111.",
    "We are collecting feedback on the new bike lanes on Maple Avenue. Take the five-minute survey at riverton.gov/bikelanes.",
    "Graffiti has appeared on several bus shelters along Main Street. If you know who is responsible, tell the tip line. Tips are kept confidential.",
    "Someone damaged the playground at Willow Park over the weekend. If you saw anything, please call the non-emergency line at 541-555-0111.",
    "Public Works wants to know where flooding happens on your street during heavy rain. Drop a pin on our flooding map at riverton.gov/flooding.",
    "Have you seen this missing dog? Brown and white beagle, answers to Biscuit, last seen near the library. Call Animal Services at 541-555-0199.",
    "Police are investigating a string of mailbox thefts in the Eastside neighborhood. If your mail was stolen, file a report online at rivertonpd.gov/report.",
    "Anyone with information about the fire at the vacant warehouse on Industrial Way is asked to call the Fire Marshal's office at 541-555-0100.",
    "Detectives are asking residents near Cedar Lane to check home security video for a person on a bicycle early Sunday morning. Call 541-555-0177.",
    "Tell us how we did! Rate your experience with the permit center in our short customer survey.",
    "Did you lose a wedding ring at the Community Center pool? A swimmer turned one in. Describe it to the front desk at 541-555-0150.",
    "Police ask anyone who saw a silver sedan speeding on Highway 26 near exit 12 at about 10 PM Friday to call the tip line at 541-555-0177. Confidential tip line calls can be anonymous.",
    "The City is asking residents to report dead or dying street trees so our arborist can inspect them before winter storms.",
    "We are looking for photos of Riverton from the 1950s and 1960s for a history exhibit at the library. Share them at riverton.gov/history.",
    "Police need your help finding a stolen city maintenance truck, a white Ford F-250 with the City of Riverton logo. Call 911 if you see it.",
    "Did you see who knocked over the stop sign at Elm Street and 3rd Avenue? Report it to 541-555-0134 so we can replace it quickly.",
    "Help our Fire Department map smoke alarms: tell us if your home needs a free alarm installed. Call 541-555-0100.",
    "Traffic engineers want to hear about near misses at the Harbor Boulevard roundabout. Share what you have seen at riverton.gov/roundabout.",
]

COMMUNITY_ENGAGEMENT = [
    "Join us for National Night Out on Tuesday, August 6 at Riverside Park. Meet your neighbors, our officers and firefighters, and enjoy free hot dogs and games.",
    "Vote for your favorite photo in the Riverton Parks photo contest! The three finalists are on our website, and voting closes Friday.",
    "The Gay Pride parade steps off Saturday at 11 AM at Main and 1st. Expect street closures downtown until 3 PM, and come celebrate with us.",
    "Thank you to the 300 volunteers who planted 1,200 trees on Arbor Day. Riverton's canopy is growing because of you.",
    "Coffee with a Cop is Wednesday at 8 AM in the Community Center lobby. Bring your questions, and the coffee is on us.",
    "Storytime in the park returns this summer. Bring a blanket to Willow Park every Thursday at 10 AM for songs and stories with library staff.",
    "Our summer concert series kicks off Friday with the Riverton Community Band at the Riverside Park bandshell. Bring a chair and a picnic.",
    "Sign up for the Citizens Academy: eight evenings with police, fire, public works and the courts. Apply by September 1 at riverton.gov/academy.",
    "What should the new park on Harbor Boulevard look like? Come to the design open house Thursday at 6 PM at the Senior Center, 410 Elm Street.",
    "The Grape Stomp at the harvest festival is back. Families can take a turn in the barrel at the Riverside Park fairgrounds on Saturday.",
    "Happy Lunar New Year from the City of Riverton! Join the lion dance and lantern walk downtown on Saturday evening.",
    "The Teen Advisory Council is looking for new members ages 14 to 18. Tell the Mayor and Council what young people need. Apply at riverton.gov/teens.",
    "Our Community Cleanup Day is April 20. Pick up gloves and bags at Riverside Park at 9 AM, and stay for lunch with your neighbors.",
    "Thanks to everyone who came out for the Fire Department open house. Over 500 visitors toured the engines and practiced using an extinguisher.",
    "Celebrate Juneteenth with music, food and history at the Community Center, 900 Park Boulevard, on June 19 from noon to 6 PM.",
    "That was a hell of a game! Congratulations to the Riverton High Otters on the state championship. The parade is Monday at 4 PM on Main Street.",
    "Walk with the Mayor every first Saturday of the month. We meet at 8 AM at the fountain in front of City Hall.",
    "The library's adult reading challenge starts today. Read five books by August and win a Riverton Public Library tote bag.",
    "Riverton's Cultural Fair celebrates the 40 languages spoken in our city. Dance, food and crafts at the Community Center on Sunday.",
    "Our new Neighborhood Matching Fund pays for block parties, murals and little free libraries. Applications open October 1.",
    "Bring the kids to Touch-a-Truck on Saturday: fire engines, snowplows, a street sweeper and a police motorcycle, all at the Public Works yard, 1500 River Road.",
    "Congratulations to the 24 graduates of this year's Citizens Academy, including two who graduated magna cum laude from Riverton College this spring.",
    "Our senior lunch club meets weekdays at noon at the Senior Center. Meals are $4 and no one is turned away.",
    "The pussy willow walk at the Nature Center is Saturday morning. A naturalist will show you the first signs of spring along the river trail.",
    "Riverton is #1 in our state for library card sign-ups per resident! Thank you for reading with us.",
    "Come to the Veterans Day ceremony at Memorial Park at 11 AM. We honor those who served, and the American Legion will lead the flag ceremony.",
]

REAL_TIME_SAFETY = [
    "Severe thunderstorm warning for Riverton until 9 PM. Stay indoors, away from windows, and do not drive through flooded roads.",
    "Police activity in the 200 block of Cedar Lane. Please avoid the area for the next hour. There is no danger to the public.",
    "Boil water notice for the Hillcrest neighborhood after a main break. Boil tap water for one minute before drinking or cooking until further notice.",
    "Air quality is unhealthy today because of wildfire smoke. Limit time outdoors, and check on neighbors with asthma or heart conditions.",
    "Shelter in place: a gas leak near Harbor Boulevard and 8th Street. Residents within two blocks, stay inside with windows closed until we give the all clear.",
    "Flood warning on the Riverton River. Sandbags are available at the Public Works yard, 1500 River Road, from 7 AM to 7 PM.",
    "Power is out for about 3,000 homes on the Eastside. Traffic signals are dark; treat every dark signal as a four-way stop.",
    "Excessive heat warning through Sunday. Cooling centers are open at the Senior Center and the Community Center until 9 PM.",
    "A brush fire near the river trail is contained. The trail between Oak Avenue and the dam stays closed tonight while crews mop up.",
    "All clear: the gas leak near Harbor Boulevard is repaired and residents may open windows. Thank you for your patience.",
    "Winter storm warning: up to 8 inches of snow tonight. Stay off the roads if you can, and give plows room to work.",
    "Wind advisory until 6 PM. Secure trash carts and patio furniture, and report downed lines to the utility, never touch them.",
    "Earthquake safety: if you felt shaking this morning, check for gas smells and damage. Report damaged city streets or sidewalks at 541-555-0134.",
    "A water main break closed Elm Street between 3rd and 5th. Crews expect repairs to take most of the day. Nearby homes may have low pressure.",
    "Evacuation lifted: residents of the Riverbend area may return home. Watch for crews and equipment on River Road.",
    "Ice is forming on bridges and overpasses. Slow down, leave extra space, and do not brake hard on the Oak Avenue bridge.",
    "The 988 Suicide and Crisis Lifeline is available 24 hours a day. If you or someone you know is struggling, call or text 988.",
    "Officers are on scene of a crash with injuries at Main Street and 4th Avenue. Expect delays and use alternate routes.",
    "Wildfire smoke will linger tonight. If you have a portable air cleaner, run it in the room where you sleep.",
    "Poison control is free and open all the time: 1-800-222-1222. Keep the number on your fridge and in your phone.",
    "The tornado sirens sound for a test on the first Wednesday of each month at noon. Today's sound is a test only.",
    "Drinking water is safe again in Hillcrest. The boil water notice is lifted. Flush your taps for five minutes before use.",
    "Fire crews are fighting a two-alarm fire in a commercial building on Industrial Way. Avoid the area; smoke is visible across the city.",
    "Downed tree blocking Willow Drive at Pine Street. Crews are on the way. Please use another route.",
]

TRAFFIC = [
    "Road closure: Main Street between 2nd and 5th Avenue is closed Saturday 7 AM to 6 PM for the farmers market. Use Oak Avenue instead.",
    "Northbound I-5 is backed up to exit 12 after a crash. Expect delays of 30 minutes or more. Consider Highway 26 as an alternate route.",
    "Paving on River Road starts Monday. One lane will be open with flaggers from 7 AM to 4 PM through Friday.",
    "The Harbor Boulevard roundabout opens to traffic Thursday. Yield to traffic already in the circle and to people in the crosswalks.",
    "School is back in session. School zone speed limits of 20 mph are in effect on school days from 7 AM to 4 PM.",
    "Oak Avenue is down to one lane in each direction near 12th Street while crews replace a water line. Expect delays through the end of the month.",
    "Snow routes are in effect. Move vehicles off marked snow routes so plows can clear them curb to curb.",
    "Signal timing on Main Street was updated to keep traffic moving during the evening commute. Let us know how your drive goes.",
    "The Elm Street bridge closes overnight Tuesday from 9 PM to 5 AM for an inspection. Detour via Oak Avenue.",
    "Parade route closures Saturday: Main Street from 1st to 10th Avenue closes at 9 AM and reopens at 2 PM. Plan extra time for downtown trips.",
    "Traffic signal out at Pine Street and 7th Avenue. Treat it as a four-way stop until technicians finish repairs.",
    "New bike lanes on Maple Avenue are painted. Drivers, check your mirrors before turning right across the bike lane.",
    "Crews will be sweeping Cedar Lane and Willow Drive tomorrow. Please move parked cars off the street by 7 AM.",
    "The parking garage on 3rd Avenue is closed for repairs this weekend. Free parking is available in the City Hall lot.",
    "A stalled truck is blocking the right lane of Highway 26 westbound at exit 9. Tow crews are on the way.",
    "Pothole season is here. Report potholes at riverton.gov/311 or call Public Works at 541-555-0134, and we will fill them within three business days.",
    "Daylight saving time ends Sunday. With darker evenings, watch for people walking and biking on your drive home.",
    "Construction on the Main Street streetscape project starts in March. Sidewalks will stay open, and businesses remain open during construction.",
    "Commuters: the River Road bus detour ends Monday. Route 4 buses return to their normal stops.",
    "The 5th Avenue railroad crossing closes for track repairs Wednesday and Thursday. Use the Oak Avenue crossing.",
    "Heavy fog this morning on River Road. Use low beams and give yourself extra time.",
    "The new crosswalk signal at Elm Street and 9th Avenue is live. Push the button and wait for the walk sign.",
    "#RoadClosure: Pine Street is closed between 2nd and 3rd Avenue for a sewer repair until 5 PM.",
]

MEDIA_RELEASE = [
    "For immediate release: The City of Riverton has received a $2.4 million federal grant to replace lead service lines in 600 homes. Work starts this spring. Media contact: press@riverton.gov.",
    "Riverton Fire Department earns top insurance rating. The new rating may lower homeowners' insurance premiums across the city. Questions: press office, 541-555-0188.",
    "The City Council voted 6 to 1 on Tuesday to approve the new housing plan, which allows more homes near transit. The plan takes effect July 1.",
    "Media advisory: Mayor Lee will hold a press conference Wednesday at 10 AM at City Hall, 100 Main Street, on the winter storm response.",
    "The City of Riverton and the Riverton School District signed an agreement to share athletic fields, adding 40 hours of weekly field time for youth sports.",
    "Riverton's 911 center answered 98 percent of emergency calls within 15 seconds last year, beating the national standard. The full report is at riverton.gov/911.",
    "The Police Department released its annual report. Property crime fell 12 percent, and response times to priority calls improved by one minute.",
    "Police Chief Alvarez announced today that the department has completed crisis intervention training for every patrol officer.",
    "The City has finished the Oak Avenue bridge project on time and under budget. The bridge carries 18,000 vehicles a day.",
    "Riverton joins 40 cities in the regional climate compact, committing to cut emissions from city buildings and vehicles in half by 2030.",
    "Statement from the City of Riverton on the regional water agreement: the new agreement keeps water rates stable for five years.",
    "The City's audit for the last fiscal year found no material weaknesses. Read the audit report at riverton.gov/finance.",
    "Media contact for the downtown fire: Public Information Officer, press@riverton.gov or 541-555-0188. Updates will follow at 2 PM.",
    "Riverton Public Works wins the state's award for snow and ice operations for the third year in a row.",
    "The City will hold a public hearing on the proposed budget on June 3 at 6 PM. Residents may comment in person or by e-mail to council@riverton.gov.",
    "The annual point-in-time count found 212 people experiencing homelessness in Riverton, a 9 percent decrease from last year.",
    "Riverton receives a state grant for a new playground at Cummings Park, designed so children of all abilities can play together.",
    "The City has launched a review of its emergency alert system after last month's storm, and will report findings to the Council in September.",
    "Election information from the City Clerk: polls open at 7 AM and close at 8 PM on November 5. Ballot drop boxes are at City Hall and the library.",
    "Register to vote by October 15 to vote in the November election. The City Clerk's office at City Hall can help you register.",
    "The candidate forum for City Council hosted by the League of Women Voters will be streamed on riverton.gov/live. All six candidates were invited.",
    "A public analysis of the Main Street traffic study is available for review at the library and online at riverton.gov/mainstreet.",
    "Press release: The Riverton Police Department has arrested a suspect in last week's robbery at a Harbor Boulevard gas station. Charges are pending with the District Attorney.",
    'Statement from Mayor Lee: "I want to thank every crew member who worked through the night to restore water service. My gratitude goes to each of them."',
]

RECRUITMENT = [
    "We're hiring! Riverton Police is accepting applications for entry-level officers through March 31. Starting pay is $68,000 with full benefits. Apply at riverton.gov/jobs.",
    "Join Public Works as a seasonal maintenance worker this summer. No experience needed; we train you. Apply at riverton.gov/jobs or call 541-555-0160.",
    "The Riverton Fire Department is recruiting firefighter-paramedics. Attend an information session on February 10 at Fire Station 1, 75 Maple Avenue.",
    "Lifeguards wanted! Certification classes are free for new hires. Ages 15 and up are welcome to apply for summer pool jobs.",
    "Now hiring: a licensed therapist for our Community Responder program, which pairs mental health professionals with firefighters on crisis calls.",
    "The City Clerk's office is hiring a records specialist. Help keep Riverton's public records open and organized. Apply by April 12.",
    "Become a 911 dispatcher. Paid training, a $5,000 hiring bonus and a career that makes a difference. Learn more at riverton.gov/dispatch.",
    "Library pages shelve books, help patrons and keep our branches running. Part-time positions open now for students ages 16 and up.",
    "Parks and Recreation is hiring camp counselors for summer day camp. Apply by April 30 at riverton.gov/jobs.",
    "The City of Riverton is an equal opportunity employer. We do not discriminate on the basis of race, color, religion, sex, national origin, age or disability.",
    "Career fair Thursday from 3 to 7 PM at the Community Center. Meet hiring managers from police, fire, public works, parks and the library.",
    "Want to fix what matters? Our water utility needs plant operators. We pay for your state certification. Apply at riverton.gov/jobs.",
    "Internships for college students are open in finance, planning and communications. Paid, 20 hours a week, flexible schedules.",
    "Snowplow drivers wanted for the winter season. A commercial driver's license is required, and we help you get one. Call 541-555-0160.",
    "Riverton Police lateral officers start at $78,000 with a $10,000 signing bonus. Bring your experience to a department that invests in training.",
    "Join our team of crossing guards. Two hours in the morning and two in the afternoon on school days, paid, with training provided.",
    "Join the team that keeps Riverton moving: our transportation department is hiring a traffic signal technician. Apply at riverton.gov/jobs.",
    "Volunteer firefighters needed for Station 4. Training is free, and you can serve while keeping your day job.",
    "The Senior Center is hiring a part-time cook. Help us serve healthy lunches to 80 older adults every weekday.",
    "Interested in public service? The Citizens Academy is a good start, and many graduates now work for the City. Our next class starts in September.",
    "Our IT team is growing. We are hiring a systems administrator to keep city services online. See the posting at riverton.gov/jobs.",
    "Apply to be a building inspector. Help make sure Riverton's new homes and businesses are safe. Pay starts at $72,000.",
    "Hiring event at the Public Works yard, 1500 River Road, Saturday from 9 AM to noon. Bring a resume and talk with supervisors on the spot.",
]

# Posts that are clean but carry an accessibility warning: (category, text, [rules]).
WITH_WARNINGS = [
    (
        "traffic",
        "Expect delays on River Road this week. #roadclosure #riverton",
        ["702.3/hashtag-case"],
    ),
    (
        "community_engagement",
        "Snow day fun at Riverside Park! Sledding hill is open until dusk. #snowday",
        ["702.3/hashtag-case"],
    ),
    (
        "community_engagement",
        "Summer reading starts today! 📚☀️🎉🏖️🦦 Sign up at any branch of the library.",
        ["702.3/emoji"],
    ),
    (
        "community_engagement",
        "We ❤️ our volunteers and the work they do in every neighborhood.",
        ["702.3/emoji"],
    ),
    (
        "announcement",
        "Pursuant to the provisions of the municipal code governing the administration of utility accounts, customers whose accounts demonstrate consistent delinquency will receive formal notification regarding the discontinuation of services, subsequent to which the customer may request an administrative hearing before the utility commission within fourteen calendar days of the notification date.",
        ["702.3/reading-level"],
    ),
    (
        "media_release",
        "The comprehensive infrastructure modernization initiative, authorized unanimously by the municipal legislative body following extensive deliberation regarding fiscal sustainability, encompasses rehabilitation of deteriorating stormwater conveyance facilities, systematic replacement of obsolete distribution infrastructure, and implementation of sophisticated monitoring technologies throughout the metropolitan service territory.",
        ["702.3/reading-level"],
    ),
    (
        "recruitment",
        "Now hiring lifeguards for summer! #lifeguardjobs #joinourteam",
        ["702.3/hashtag-case"],
    ),
    (
        "traffic",
        "Crews are out treating roads 🚧🚧🚧🚧🚧 Please slow down and give them room.",
        ["702.3/emoji"],
    ),
]

# Hard clean posts written after the engine ran on the rest: lookalike words, city staff by
# name, neutral election and health information, partner thanks. Kept as written.
HARD_CLEAN = [
    (
        "community_engagement",
        "Join Officer Martinez and the K-9 team for a demo at the library Saturday. Kids can meet Ranger, our newest police dog.",
    ),
    (
        "announcement",
        "The Council approved the cocktail lounge permit on 3rd Avenue after a public hearing.",
    ),
    (
        "traffic",
        "The Essex Street water main replacement wraps up next week. Expect one-lane traffic until then.",
    ),
    ("traffic", "Sussex Avenue will be closed at 10th Street for a sewer repair on Thursday."),
    (
        "media_release",
        "Middlesex County firefighters joined our crews on the Ridge Fire this week. Thank you for the mutual aid.",
    ),
    (
        "announcement",
        "The Shell station on Harbor Boulevard reopened after the fuel spill cleanup.",
    ),
    (
        "community_engagement",
        "Riverton Arts presents Great Expectations, a Dickens classic, at the library theater this weekend.",
    ),
    (
        "media_release",
        "The analysis of the traffic study shows 30 percent fewer crashes on Oak Avenue since the road redesign.",
    ),
    (
        "community_engagement",
        "Wanted: volunteers to staff the welcome table at the Pride festival. Sign up at riverton.gov/volunteer.",
    ),
    (
        "crime_prevention",
        "Officers will be at Riverton High on Tuesday to talk with students about distracted driving.",
    ),
    ("traffic", "Crews staged equipment on Oak Avenue overnight for Monday's paving project."),
    (
        "real_time_safety",
        "Public Works crews are staged at the yard and ready for tonight's storm. Plows roll at the first inch of snow.",
    ),
    (
        "crime_prevention",
        "Password protect your home Wi-Fi and change the default password on your router.",
    ),
    (
        "announcement",
        "The Fire Marshal reminds businesses that exit doors must stay unlocked during business hours.",
    ),
    (
        "media_release",
        "Our detectives closed 42 cases last year, and the annual report explains how.",
    ),
    (
        "real_time_safety",
        "Learn CPR in an hour: free hands-only CPR classes at Fire Station 1. Could you help if someone had a heart attack?",
    ),
    (
        "community_engagement",
        "Mayor Lee visited Cancer Survivors Park to open the new walking path.",
    ),
    (
        "media_release",
        "Officer Jenna Ortiz was honored for saving a choking diner with the Heimlich maneuver.",
    ),
    ("community_engagement", "Congratulations to Firefighter Sam Okafor on 25 years of service!"),
    (
        "media_release",
        "A suspect was arrested after a short foot chase near the river trail. No one was hurt.",
    ),
    (
        "media_release",
        "Police arrested Michael Grant, 45, on a warrant for failing to appear in court.",
    ),
    ("community_engagement", "Happy Mother's Day to all the moms in Riverton!"),
    (
        "announcement",
        "Vote centers are open for early voting at City Hall and the library. Bring ID if you have not voted here before.",
    ),
    (
        "media_release",
        "Measure 4 on the November ballot would fund street repairs. Read the impartial analysis from the City Attorney at riverton.gov/measure4.",
    ),
    (
        "community_engagement",
        "We're proud to support the Riverton Food Bank's holiday drive. Drop off canned food at any fire station.",
    ),
    (
        "media_release",
        "Thanks to Riverton Hardware for donating smoke alarms to our Fire Department's install program.",
    ),
    (
        "community_engagement",
        "The farmers market has the best strawberries you'll find this season, so come early!",
    ),
    (
        "announcement",
        "Lost and found: a blue backpack with a laptop was turned in at City Hall, 100 Main Street.",
    ),
    (
        "community_engagement",
        "Meet our new Parks Director, Angela Brooks, at the community meeting Thursday.",
    ),
    (
        "crime_prevention",
        "Detective Sgt. Pam Howell will speak on fraud prevention at the Senior Center, 410 Elm Street.",
    ),
    (
        "real_time_safety",
        "Traffic alert: a crash on Highway 26 at milepost 14 has closed both westbound lanes. The driver was taken to the hospital.",
    ),
    (
        "announcement",
        "Si necesita ayuda en español, llame al 541-555-0100. Estamos aquí para ayudarle.",
    ),
    (
        "announcement",
        "The City's new app, MyRiverton, lets you pay bills and report problems from your phone.",
    ),
    (
        "traffic",
        "I-5 southbound: left lane closed at exit 108 for bridge work through Friday night.",
    ),
    (
        "community_engagement",
        "Please do not feed the ducks at Mill Pond. Bread makes them sick and pollutes the water.",
    ),
    (
        "announcement",
        "The recall election for the school board is on March 12. Sample ballots are at riverton.gov/elections.",
    ),
    (
        "community_engagement",
        "Our snowplow drivers worked 18-hour shifts this week. If you see them, give a wave.",
    ),
    (
        "crime_prevention",
        "Watch our video on how to spot a skimmer at the gas pump before you swipe your card.",
    ),
    (
        "media_release",
        "The evidence room audit is complete, and the report is posted on the city website.",
    ),
    (
        "real_time_safety",
        "Firefighters responded to 14 calls yesterday, including a kitchen fire on Willow Drive.",
    ),
    (
        "announcement",
        "Hot tip: sign up for Riverton Alerts to get texts about road closures and emergencies.",
    ),
    (
        "traffic",
        "Please slow down in work zones. Our crews want to go home to their families tonight.",
    ),
    (
        "community_engagement",
        "The Community Center's new teen room has games, homework help and snacks. Open after school until 7 PM.",
    ),
    (
        "media_release",
        "Thank you to Essex Construction for finishing the Elm Street sidewalk project early.",
    ),
    (
        "recruitment",
        "Do you have what it takes? Our police academy is tough, and our officers say it was worth it. Apply by May 1.",
    ),
    (
        "crime_prevention",
        "If a caller says they are from the IRS and asks for your social security number, hang up. It is a scam.",
    ),
    (
        "request_for_information",
        "Police ask drivers with dash cameras who were on River Road between 6 and 7 PM Sunday to check their footage.",
    ),
    (
        "real_time_safety",
        "Officers are directing traffic at Main and 4th while the signal is repaired. Please follow their directions.",
    ),
    (
        "announcement",
        "Our office will be closed for staff training Friday morning. We reopen at 1 PM.",
    ),
    (
        "community_engagement",
        "Cheers to the Riverton High class of 2025! Graduation is Saturday at the stadium; parking opens at 8 AM.",
    ),
]
